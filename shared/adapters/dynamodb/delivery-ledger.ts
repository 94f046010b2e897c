import { randomUUID } from "node:crypto";
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { DeliveryKey, DeliveryLedger } from "../../ports.ts";
import { keys } from "../../table.ts";
import { conditionalWrite, isConditionFailure } from "./errors.ts";

const IN_PROGRESS = "IN_PROGRESS";
const SENT = "SENT";

/**
 * The idempotency record of one publish, written before it as Powertools idempotency does: a second
 * worker finds SENT (skip) or a fresh IN_PROGRESS (back off); a claim older than the lease was
 * abandoned by a crash and may be taken over.
 *
 * Every claim carries a token of its own, and only its holder may complete or release it:
 * - the SDK retries a PutItem whose answer was lost (a 5xx or a reset after DynamoDB applied it); the
 *   retry then fails its condition on our own row, and the token tells "ours" from "another's";
 * - a claimant that outlived its lease (a slow publish) and then fails must not delete the claim the
 *   next attempt took over, or a third attempt would win while that one still holds a valid lease.
 */
export function createDeliveryLedger(
  doc: DynamoDBDocumentClient,
  tableName: string,
  retentionSeconds: number,
): DeliveryLedger {
  /** The token of each claim this ledger holds, by delivery key. */
  const held = new Map<string, string>();
  const id = (key: DeliveryKey) => `${key.storyId}#${key.stage}#${key.audience}`;

  return {
    async claim(key, now, leaseMs) {
      const token = randomUUID();
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keys.delivery(key.storyId, key.stage, key.audience),
              kind: "delivery",
              status: IN_PROGRESS,
              owner: token,
              claimedAt: now.getTime(),
              expiresAt: Math.floor(now.getTime() / 1000) + retentionSeconds,
            },
            ConditionExpression:
              "attribute_not_exists(pk) OR (#status = :inProgress AND claimedAt < :staleBefore)",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":inProgress": IN_PROGRESS,
              ":staleBefore": now.getTime() - leaseMs,
            },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        const old = (err as { Item?: Record<string, { S?: string }> }).Item;
        // Our own write, applied by an attempt whose answer was lost and retried by the SDK.
        if (old?.owner?.S !== token) return old?.status?.S === SENT ? "already-sent" : "in-progress";
      }
      held.set(id(key), token);
      return "claimed";
    },

    async complete(key, now, messageId) {
      const token = held.get(id(key));
      held.delete(id(key));
      // A claim taken over after our lease ran out is the new holder's to complete: both of us
      // published (the documented window), and its record is the one that stays.
      await conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.delivery(key.storyId, key.stage, key.audience),
            UpdateExpression: "SET #status = :sent, sentAt = :at, messageId = :id",
            ConditionExpression: "#owner = :token",
            ExpressionAttributeNames: { "#status": "status", "#owner": "owner" },
            ExpressionAttributeValues: {
              ":sent": SENT,
              ":at": now.toISOString(),
              ":id": messageId ?? "unknown",
              ":token": token ?? "none",
            },
          }),
        ),
      );
    },

    async release(key) {
      const token = held.get(id(key));
      held.delete(id(key));
      if (!token) return;
      await conditionalWrite(() =>
        doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: keys.delivery(key.storyId, key.stage, key.audience),
            ConditionExpression: "#status = :inProgress AND #owner = :token",
            ExpressionAttributeNames: { "#status": "status", "#owner": "owner" },
            ExpressionAttributeValues: { ":inProgress": IN_PROGRESS, ":token": token },
          }),
        ),
      );
    },
  };
}
