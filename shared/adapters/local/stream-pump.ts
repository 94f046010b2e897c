// Reads the table's stream the way Lambda's event source mapping does: shard by shard in order,
// the same INSERT/ITEM# filter as the deployed mapping, batches of up to 100, and on a partial batch
// failure the batch is retried from the first failed record (with backoff), finite times, then the
// failed records are reported as Lambda would send them to the on-failure destination. A batch whose
// invocation fails as a whole (the function threw or timed out) is split in two and each half retried,
// as the deployed mapping's bisectBatchOnError does.
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { TABLE } from "../../table.ts";

export interface PumpOptions {
  batchSize?: number;
  retryAttempts?: number;
  retryDelayMs?: number;
  /** Same predicate as the deployed event source filter. */
  filter?: (record: DynamoDBRecord) => boolean;
  /** Split a batch whose invocation failed as a whole (default true, as the stack). */
  bisectOnError?: boolean;
}

export interface PumpResult {
  records: number;
  batches: number;
  retries: number;
  /** Batches split in two after their invocation failed as a whole. */
  bisections: number;
  /** Records that still failed after every retry (Lambda would hand them to the on-failure queue). */
  failed: DynamoDBRecord[];
}

export type BatchHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

/** INSERTs of matched items only, as the stack's FilterCriteria. */
export function isItemInsert(record: DynamoDBRecord): boolean {
  const pk = record.dynamodb?.Keys?.[TABLE.partitionKey]?.S;
  return record.eventName === "INSERT" && typeof pk === "string" && pk.startsWith("ITEM#");
}

export function createStreamPump(
  streams: DynamoDBStreamsClient,
  streamArn: string,
  options: PumpOptions = {},
) {
  const batchSize = options.batchSize ?? 100;
  const retryAttempts = options.retryAttempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const filter = options.filter ?? isItemInsert;
  const bisectOnError = options.bisectOnError ?? true;
  /** Where each shard was left: the next iterator to read from. */
  const positions = new Map<string, string | undefined>();

  async function shardIterators(): Promise<Array<[string, string]>> {
    const shards = [];
    let start: string | undefined;
    do {
      const out = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    const result: Array<[string, string]> = [];
    for (const shard of shards) {
      const id = shard.ShardId as string;
      if (positions.has(id)) {
        const iterator = positions.get(id);
        if (iterator) result.push([id, iterator]);
        continue;
      }
      const out = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: "TRIM_HORIZON" }),
      );
      if (out.ShardIterator) result.push([id, out.ShardIterator]);
    }
    return result;
  }

  /** Delivers everything the stream holds now; returns when every shard is read to its end. */
  async function drain(handler: BatchHandler): Promise<PumpResult> {
    const result: PumpResult = { records: 0, batches: 0, retries: 0, bisections: 0, failed: [] };
    for (const [shardId, first] of await shardIterators()) {
      let iterator: string | undefined = first;
      while (iterator) {
        const out: GetRecordsCommandOutput = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }),
        );
        const records = (out.Records ?? []).map((r) => toLambdaRecord(r, streamArn)).filter(filter);
        if (records.length > 0) await deliver(records, handler, result);
        const next: string | undefined = out.NextShardIterator;
        // An open shard with nothing new: remember where we are and stop for now.
        if ((out.Records ?? []).length === 0) {
          positions.set(shardId, next);
          break;
        }
        iterator = next;
        positions.set(shardId, next);
      }
    }
    return result;
  }

  async function deliver(
    records: DynamoDBRecord[],
    handler: BatchHandler,
    result: PumpResult,
    firstAttempt = 0,
  ) {
    let pending = records;
    if (firstAttempt === 0) result.records += pending.length;
    for (let attempt = firstAttempt; pending.length > 0; attempt++) {
      result.batches++;
      let response: DynamoDBBatchResponse | undefined;
      try {
        response = await handler({ Records: pending });
      } catch {
        // The invocation failed as a whole: Lambda splits the batch and retries each half.
        if (bisectOnError && pending.length > 1 && attempt < retryAttempts) {
          result.bisections++;
          result.retries++;
          const half = Math.ceil(pending.length / 2);
          await deliver(pending.slice(0, half), handler, result, attempt + 1);
          await deliver(pending.slice(half), handler, result, attempt + 1);
          return;
        }
        response = { batchItemFailures: [{ itemIdentifier: pending[0]?.dynamodb?.SequenceNumber ?? "" }] };
      }
      const failures = response?.batchItemFailures ?? [];
      if (failures.length === 0) return;
      // Lambda semantics: the batch is retried from the lowest failed sequence number on.
      const failedSeqs = new Set(failures.map((f) => f.itemIdentifier));
      const firstFailed = pending.findIndex((r) => failedSeqs.has(r.dynamodb?.SequenceNumber ?? ""));
      pending = pending.slice(Math.max(firstFailed, 0));
      if (attempt >= retryAttempts) {
        result.failed.push(...pending.filter((r) => failedSeqs.has(r.dynamodb?.SequenceNumber ?? "")));
        return;
      }
      result.retries++;
      await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** attempt));
    }
  }

  return { drain };
}

function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord["eventName"],
    eventVersion: record.eventVersion,
    eventSource: "aws:dynamodb",
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? record.dynamodb.ApproximateCreationDateTime.getTime() / 1000
        : undefined,
      Keys: record.dynamodb?.Keys as NonNullable<DynamoDBRecord["dynamodb"]>["Keys"],
      NewImage: record.dynamodb?.NewImage as NonNullable<DynamoDBRecord["dynamodb"]>["NewImage"],
      SequenceNumber: record.dynamodb?.SequenceNumber,
      SizeBytes: record.dynamodb?.SizeBytes,
      StreamViewType: record.dynamodb?.StreamViewType,
    },
  };
}
