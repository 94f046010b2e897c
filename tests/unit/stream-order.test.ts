import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { inEventOrder } from "#functions/notify-subscribers/stream-handler.ts";
import { ITEM_ROW_KIND } from "#shared/adapters/dynamodb/item-store.ts";
import { keys } from "#shared/table.ts";
import { storedItem } from "../support/delivery-fixtures.ts";

function record(id: string, published: string | undefined, sequence: string): DynamoDBRecord {
  const item = storedItem({ id, feedId: "wire", title: id, ...(published ? { published } : {}) });
  const row = { ...keys.item(id), kind: ITEM_ROW_KIND, ...item };
  return {
    eventName: "INSERT",
    dynamodb: {
      SequenceNumber: sequence,
      NewImage: marshall(row, { removeUndefinedValues: true }) as NonNullable<
        DynamoDBRecord["dynamodb"]
      >["NewImage"],
    },
  };
}

describe("stream batch order", () => {
  it("hands the notifier a batch's items by event time, ties in stream order, other rows last", () => {
    // Prepare: a later report polled first, an undated one (first seen 09:00), and a feed-state row.
    const other: DynamoDBRecord = { eventName: "INSERT", dynamodb: { SequenceNumber: "0", NewImage: {} } };
    const event: DynamoDBStreamEvent = {
      Records: [
        other,
        record("late", "2026-11-28T08:30:00.000Z", "1"),
        record("undated", undefined, "2"),
        record("early", "2026-11-27T20:00:00.000Z", "3"),
        record("early-too", "2026-11-27T20:00:00.000Z", "4"),
      ],
    };

    // Act
    const ordered = inEventOrder(event).Records.map((r) => r.dynamodb?.SequenceNumber);

    // Assess
    expect(ordered).toEqual(["3", "4", "1", "2", "0"]);
    expect(event.Records[0]).toBe(other);
  });
});
