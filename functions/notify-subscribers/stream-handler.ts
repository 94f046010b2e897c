// Primary adapter shape shared by the Lambda handler and the local run: a DynamoDB stream batch in,
// a partial batch response out, so one failing record is retried alone (bisect + ReportBatchItemFailures).
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { ITEM_ROW_KIND, itemFromRow } from "#shared/adapters/dynamodb/item-store.ts";
import { eventTime } from "#shared/domain/event-time.ts";
import {
  type NotifyDependencies,
  type NotifyResult,
  type NotifySettings,
  notifyItem,
} from "./notify-subscribers.ts";

export type StreamHandler = (event: DynamoDBStreamEvent, context?: Context) => Promise<DynamoDBBatchResponse>;

export function createNotifyHandler(
  deps: NotifyDependencies,
  settings: NotifySettings,
  onResult?: (result: NotifyResult) => void,
): StreamHandler {
  // Records of one shard are handled in order: items of one story then meet no write conflicts.
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== "INSERT" || !image) return;
    const row = unmarshall(image as Parameters<typeof unmarshall>[0]);
    if (row.kind !== ITEM_ROW_KIND) return;
    const result = await notifyItem(itemFromRow(row), deps, settings);
    onResult?.(result);
  };
  return async (event, context) =>
    processPartialResponse(inEventOrder(event), handleRecord, processor, {
      ...(context ? { context } : {}),
      processInParallel: false,
      throwOnFullBatchFailure: false,
    }) as Promise<DynamoDBBatchResponse>;
}

/**
 * The batch's records by the event time of their items (then by stream order), so the earliest
 * report of a development opens its story whichever feed was polled first. Reordering is safe:
 * Lambda resumes from the lowest failed sequence number and replays are no-ops (isProcessed).
 */
export function inEventOrder(event: DynamoDBStreamEvent): DynamoDBStreamEvent {
  const keyed = event.Records.map((record, index) => {
    const image = record.dynamodb?.NewImage;
    const row = image ? unmarshall(image as Parameters<typeof unmarshall>[0]) : undefined;
    const at =
      row?.kind === ITEM_ROW_KIND ? Date.parse(eventTime(itemFromRow(row))) : Number.POSITIVE_INFINITY;
    return { record, index, at: Number.isFinite(at) ? at : Number.POSITIVE_INFINITY };
  });
  keyed.sort((a, b) => a.at - b.at || a.index - b.index);
  return { ...event, Records: keyed.map(({ record }) => record) };
}
