// The lease on a feed's state row: two columns beside its state, written only by conditional
// updates, so two workers never poll one feed at once. A lease is never released after a poll; it
// runs out after the worker's timeout, which the polling interval is longer than (infra/config.ts).
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { FeedSchedule } from "../../domain/dispatch.ts";
import type { FeedLeaseStore, FeedState } from "../../ports.ts";
import { keys, ROW_PREFIX } from "../../table.ts";
import { isConditionFailure } from "./errors.ts";
import { getFeedRows } from "./feed-state-store.ts";

/** Column names on the feed state row. */
export const LEASE_COLUMNS = { leaseUntil: "leaseUntil", polledAt: "polledAt" } as const;

export function createFeedLeaseStore(doc: DynamoDBDocumentClient, tableName: string): FeedLeaseStore {
  return {
    async schedules(feedIds) {
      const schedules = new Map<string, FeedSchedule>();
      // Eventually consistent, at half the price: the dispatcher only orders and counts feeds. A row
      // a second old can at worst send a feed whose lease is held (acquire turns the worker away) or
      // leave a feed whose lease just ran out for the next tick; the lease is the guard, not this.
      for (const row of await getFeedRows(doc, tableName, feedIds, { consistent: false })) {
        const feedId = String(row.pk).slice(ROW_PREFIX.feed.length);
        const state = row.state as FeedState | undefined;
        const polledAt = row[LEASE_COLUMNS.polledAt];
        const leaseUntil = row[LEASE_COLUMNS.leaseUntil];
        schedules.set(feedId, {
          ...(state ? { state } : {}),
          ...(typeof polledAt === "string" ? { polledAt } : {}),
          ...(typeof leaseUntil === "number" ? { leaseUntil } : {}),
        });
      }
      return schedules;
    },

    async acquire(feedId, now, leaseMs) {
      const leaseUntil = now.getTime() + leaseMs;
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.feedState(feedId),
            UpdateExpression: "SET #lease = :until, #polled = :now",
            ConditionExpression: "attribute_not_exists(#lease) OR #lease <= :nowMs",
            ExpressionAttributeNames: {
              "#lease": LEASE_COLUMNS.leaseUntil,
              "#polled": LEASE_COLUMNS.polledAt,
            },
            ExpressionAttributeValues: {
              ":until": leaseUntil,
              ":now": now.toISOString(),
              ":nowMs": now.getTime(),
            },
            ReturnValues: "UPDATED_OLD",
          }),
        );
        const previous = out.Attributes?.[LEASE_COLUMNS.polledAt];
        return {
          feedId,
          leaseUntil,
          ...(typeof previous === "string" ? { previousPolledAt: previous } : {}),
        };
      } catch (err) {
        if (isConditionFailure(err)) return undefined;
        throw err;
      }
    },

    async release(lease) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.feedState(lease.feedId),
            UpdateExpression:
              lease.previousPolledAt === undefined
                ? "REMOVE #lease, #polled"
                : "SET #polled = :previous REMOVE #lease",
            // Only our own lease: one that ran out and was taken by another worker stays theirs.
            ConditionExpression: "#lease = :mine",
            ExpressionAttributeNames: {
              "#lease": LEASE_COLUMNS.leaseUntil,
              "#polled": LEASE_COLUMNS.polledAt,
            },
            ExpressionAttributeValues: {
              ":mine": lease.leaseUntil,
              ...(lease.previousPolledAt === undefined ? {} : { ":previous": lease.previousPolledAt }),
            },
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    },
  };
}
