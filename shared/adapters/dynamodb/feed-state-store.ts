import { setTimeout as sleep } from "node:timers/promises";
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  PutCommand,
} from "@aws-sdk/lib-dynamodb";
import type { FeedState, FeedStateStore } from "../../ports.ts";
import { keys } from "../../table.ts";

const BATCH_GET_LIMIT = 100;
/** DynamoDB's BatchWriteItem takes at most 25 puts. */
export const BATCH_WRITE_LIMIT = 25;
const MAX_UNPROCESSED_ROUNDS = 5;

export function createFeedStateStore(doc: DynamoDBDocumentClient, tableName: string): FeedStateStore {
  return {
    async getAll(feedIds) {
      const states = new Map<string, FeedState>();
      for (let i = 0; i < feedIds.length; i += BATCH_GET_LIMIT) {
        let request:
          | Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }>
          | undefined = {
          [tableName]: {
            Keys: feedIds.slice(i, i + BATCH_GET_LIMIT).map((id) => keys.feedState(id)),
            ConsistentRead: true,
          },
        };
        // BatchGet may return part of the keys as unprocessed under throttling: ask again with backoff.
        for (let round = 0; request && round < MAX_UNPROCESSED_ROUNDS; round++) {
          if (round > 0) await sleep(50 * 2 ** round);
          const out: BatchGetCommandOutput = await doc.send(new BatchGetCommand({ RequestItems: request }));
          for (const row of out.Responses?.[tableName] ?? []) {
            const state = row.state as FeedState | undefined;
            if (state) states.set(state.feedId, state);
          }
          const unprocessed: { Keys?: Record<string, unknown>[] } | undefined =
            out.UnprocessedKeys?.[tableName];
          request = unprocessed?.Keys?.length
            ? { [tableName]: { Keys: unprocessed.Keys, ConsistentRead: true } }
            : undefined;
        }
        if (request) throw new Error("DynamoDB kept feed states unprocessed; try again later");
      }
      return states;
    },

    async put(state) {
      await doc.send(new PutCommand({ TableName: tableName, Item: row(state) }));
    },

    async putAll(states) {
      for (let i = 0; i < states.length; i += BATCH_WRITE_LIMIT) {
        let pending: Array<{ PutRequest?: { Item?: Record<string, unknown> } }> | undefined = states
          .slice(i, i + BATCH_WRITE_LIMIT)
          .map((state) => ({ PutRequest: { Item: row(state) } }));
        // BatchWrite may leave part of the puts unprocessed under throttling: send them again with backoff.
        for (let round = 0; pending?.length && round < MAX_UNPROCESSED_ROUNDS; round++) {
          if (round > 0) await sleep(50 * 2 ** round);
          const out: BatchWriteCommandOutput = await doc.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }),
          );
          pending = out.UnprocessedItems?.[tableName];
        }
        if (pending?.length) throw new Error("DynamoDB kept feed states unprocessed; try again later");
      }
    },
  };
}

function row(state: FeedState): Record<string, unknown> {
  return { ...keys.feedState(state.feedId), kind: "feed", state };
}
