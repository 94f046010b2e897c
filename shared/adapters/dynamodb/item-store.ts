import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredItem } from "../../domain/types.ts";
import type { ItemStore } from "../../ports.ts";
import { keys } from "../../table.ts";
import { conditionalWrite } from "./errors.ts";

export const ITEM_ROW_KIND = "item";

/** The outbox: a matched item is inserted once; the stream of inserts drives the notifier. */
export function createItemStore(doc: DynamoDBDocumentClient, tableName: string): ItemStore & ItemLedger {
  return {
    putIfNew(item, expiresAt) {
      return conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.item(item.id), kind: ITEM_ROW_KIND, ...item, expiresAt },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    async isProcessed(itemId) {
      const out = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.item(itemId),
          ProjectionExpression: "processedAt",
          ConsistentRead: true,
        }),
      );
      return typeof out.Item?.processedAt === "string";
    },

    async markProcessed(itemId, storyId, at) {
      // Already marked by an earlier attempt: the mark is idempotent, so a failed condition is fine.
      await conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.item(itemId),
            UpdateExpression: "SET processedAt = :at, storyId = :story",
            ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(processedAt)",
            ExpressionAttributeValues: { ":at": at, ":story": storyId },
          }),
        ),
      );
    },
  };
}

/** What the notifier records on the outbox row once everything the item caused has been sent. */
export interface ItemLedger {
  isProcessed(itemId: string): Promise<boolean>;
  markProcessed(itemId: string, storyId: string, at: string): Promise<void>;
}

/** Strips the table's own attributes from a stored row (or a stream image) to get the item back. */
export function itemFromRow(row: Record<string, unknown>): StoredItem {
  const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _exp, processedAt: _p, storyId: _s, ...item } = row;
  return item as unknown as StoredItem;
}
