// A local stand-in for the SQS poll queue: the dispatcher sends to it, and drain() hands its messages
// to the worker's queue handler as SQS events of up to `batchSize` records, with at most
// `maxConcurrency` events in flight (the event source mapping's limits). Like a standard queue it delivers some messages twice,
// and a message older than its retention is gone.
import type { SQSRecord } from "aws-lambda";
import type { QueueHandler } from "#functions/poll-feeds/queue-handler.ts";
import type { PollBatch } from "#shared/domain/dispatch.ts";
import type { PollQueue } from "#shared/ports.ts";

export interface LocalQueueOptions {
  /** Every n-th message is delivered twice, the copies side by side (at-least-once delivery). */
  duplicateEvery: number;
  retentionMs: number;
}

export interface LocalQueue extends PollQueue {
  readonly waiting: number;
  /** Drops what is older than the retention, as SQS does. */
  expire(now: Date): number;
  /** Delivers up to `limit` messages, oldest first, `maxConcurrency` at a time; returns how many. */
  drain(
    handler: QueueHandler,
    options: { maxConcurrency: number; batchSize: number; limit: number },
  ): Promise<number>;
}

export function createLocalQueue(options: LocalQueueOptions): LocalQueue {
  const messages: { body: string; sentAt: number; id: number }[] = [];
  let sent = 0;
  return {
    get waiting() {
      return messages.length;
    },
    async send(batches: PollBatch[]) {
      for (const batch of batches) {
        const id = sent++;
        const message = { body: JSON.stringify(batch), sentAt: Date.parse(batch.dispatchedAt), id };
        messages.push(message);
        if (id % options.duplicateEvery === 0) messages.push({ ...message });
      }
    },
    expire(now) {
      const before = messages.length;
      const kept = messages.filter((m) => now.getTime() - m.sentAt < options.retentionMs);
      messages.splice(0, messages.length, ...kept);
      return before - kept.length;
    },
    async drain(handler, { maxConcurrency, batchSize, limit }) {
      let delivered = 0;
      const failures: string[] = [];
      const worker = async () => {
        while (delivered < limit && messages.length > 0) {
          const batch = messages.splice(0, Math.min(batchSize, limit - delivered));
          delivered += batch.length;
          const response = await handler({ Records: batch.map((m) => recordOf(m.body, m.id)) });
          failures.push(...response.batchItemFailures.map((f) => f.itemIdentifier));
        }
      };
      await Promise.all(Array.from({ length: maxConcurrency }, worker));
      if (failures.length > 0) throw new Error(`messages failed: ${failures.join(", ")}`);
      return delivered;
    },
  };
}

function recordOf(body: string, id: number): SQSRecord {
  const record = {
    messageId: `m-${id}`,
    receiptHandle: `r-${id}`,
    body,
    attributes: {},
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:000000000000:poll-queue",
    awsRegion: "local",
  } as unknown as SQSRecord;
  return record;
}
