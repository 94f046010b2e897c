import { setTimeout as sleep } from "node:timers/promises";
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { FeedState, FeedStateStore } from "../../ports.ts";
import { keys } from "../../table.ts";

const BATCH_GET_LIMIT = 100;
const MAX_UNPROCESSED_ROUNDS = 5;

export function createFeedStateStore(doc: DynamoDBDocumentClient, tableName: string): FeedStateStore {
  return {
    async getAll(feedIds) {
      const states = new Map<string, FeedState>();
      for (const row of await getFeedRows(doc, tableName, feedIds)) {
        const state = row.state as FeedState | undefined;
        if (state) states.set(state.feedId, state);
      }
      return states;
    },

    async put(state) {
      await doc.send(updateOf(tableName, state));
    },
  };
}

/**
 * A state write as an update, not a put: the row's lease columns (feed-lease-store.ts) belong to
 * the worker polling the feed and must survive its state write.
 */
function updateOf(tableName: string, state: FeedState): UpdateCommand {
  return new UpdateCommand({
    TableName: tableName,
    Key: keys.feedState(state.feedId),
    UpdateExpression: "SET #kind = :kind, #state = :state",
    ExpressionAttributeNames: { "#kind": "kind", "#state": "state" },
    ExpressionAttributeValues: { ":kind": "feed", ":state": state },
  });
}

/**
 * The feed state rows of these feeds, whatever columns they hold: strongly consistent unless asked
 * otherwise (an eventually consistent read costs half a read unit).
 */
export async function getFeedRows(
  doc: DynamoDBDocumentClient,
  tableName: string,
  feedIds: string[],
  { consistent = true }: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < feedIds.length; i += BATCH_GET_LIMIT) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [tableName]: {
        Keys: feedIds.slice(i, i + BATCH_GET_LIMIT).map((id) => keys.feedState(id)),
        ConsistentRead: consistent,
      },
    };
    // BatchGet may return part of the keys as unprocessed under throttling: ask again with backoff.
    for (let round = 0; request && round < MAX_UNPROCESSED_ROUNDS; round++) {
      if (round > 0) await sleep(50 * 2 ** round);
      const out: BatchGetCommandOutput = await doc.send(new BatchGetCommand({ RequestItems: request }));
      rows.push(...(out.Responses?.[tableName] ?? []));
      const unprocessed: { Keys?: Record<string, unknown>[] } | undefined = out.UnprocessedKeys?.[tableName];
      request = unprocessed?.Keys?.length
        ? { [tableName]: { Keys: unprocessed.Keys, ConsistentRead: consistent } }
        : undefined;
    }
    if (request) throw new Error("DynamoDB kept feed states unprocessed; try again later");
  }
  return rows;
}
