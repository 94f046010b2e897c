// Secondary adapter: PollQueue on an SQS queue. SendMessageBatch takes 10 entries per call and can
// succeed while some entries fail, so every entry is checked and the failed ones sent again; what
// still fails after the retries fails the dispatch (its Lambda error alarm fires, the next tick
// dispatches the same feeds).
import { setTimeout as wait } from "node:timers/promises";
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { PollQueue } from "../ports.ts";

/** SQS's limit per SendMessageBatch call. */
export const SQS_MAX_BATCH_ENTRIES = 10;
/** Attempts per entry, the first included. */
const MAX_ATTEMPTS = 4;
/** Backoff before the second attempt; doubles after each. */
const BASE_DELAY_MS = 100;

export function createSqsPollQueue(
  client: SQSClient,
  queueUrl: string,
  sleep: (ms: number) => Promise<void> = (ms) => wait(ms),
): PollQueue {
  return {
    async send(batches) {
      const entries = batches.map((batch, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(batch),
      }));
      for (let i = 0; i < entries.length; i += SQS_MAX_BATCH_ENTRIES) {
        await sendChunk(client, queueUrl, entries.slice(i, i + SQS_MAX_BATCH_ENTRIES), sleep);
      }
    },
  };
}

async function sendChunk(
  client: SQSClient,
  queueUrl: string,
  chunk: SendMessageBatchRequestEntry[],
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  let pending = chunk;
  let lastError = "";
  for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
    if (attempt > 0) await sleep(BASE_DELAY_MS * 2 ** (attempt - 1));
    const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
    const failed = new Set((out.Failed ?? []).map((f) => f.Id));
    lastError = (out.Failed ?? []).map((f) => `${f.Code}: ${f.Message ?? ""}`).join("; ");
    pending = pending.filter((entry) => failed.has(entry.Id));
    // A sender fault (a malformed entry) will not pass on a retry either.
    if ((out.Failed ?? []).some((f) => f.SenderFault)) break;
  }
  if (pending.length > 0) {
    throw new Error(`SQS refused ${pending.length} poll batch(es): ${lastError}`);
  }
}
