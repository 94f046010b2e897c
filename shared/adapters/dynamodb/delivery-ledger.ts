import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { DeliveryLedger } from "../../ports.ts";
import { keys } from "../../table.ts";
import { isConditionFailure } from "./errors.ts";

const IN_PROGRESS = "IN_PROGRESS";
const SENT = "SENT";

/**
 * The idempotency record of one publish, written before it as Powertools idempotency does: a second
 * worker finds SENT (skip) or a fresh IN_PROGRESS (back off); a claim older than the lease was
 * abandoned by a crash and may be taken over.
 */
export function createDeliveryLedger(
  doc: DynamoDBDocumentClient,
  tableName: string,
  retentionSeconds: number,
): DeliveryLedger {
  return {
    async claim(key, now, leaseMs) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keys.delivery(key.storyId, key.stage, key.audience),
              kind: "delivery",
              status: IN_PROGRESS,
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
        return "claimed";
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        const old = (err as { Item?: Record<string, { S?: string }> }).Item;
        return old?.status?.S === SENT ? "already-sent" : "in-progress";
      }
    },

    async complete(key, now, messageId) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.delivery(key.storyId, key.stage, key.audience),
          UpdateExpression: "SET #status = :sent, sentAt = :at, messageId = :id",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":sent": SENT,
            ":at": now.toISOString(),
            ":id": messageId ?? "unknown",
          },
        }),
      );
    },

    async release(key) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: keys.delivery(key.storyId, key.stage, key.audience),
            ConditionExpression: "#status = :inProgress",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":inProgress": IN_PROGRESS },
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    },
  };
}
