// Primary adapter shape shared by the Lambda handler and the local queue stand-in: an SQS batch of
// poll batches in, a partial batch response out, so one failing message is retried alone (and
// dead-lettered after the queue's receive limit) while the others are done.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { AppConfig } from "#shared/config/schema.ts";
import { PollBatchSchema } from "#shared/domain/dispatch.ts";
import { type BatchOutcome, pollBatch, type WorkerDependencies, type WorkerPolicy } from "./poll-batch.ts";
import type { PollOptions } from "./poll-feeds.ts";

export type QueueHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

export function createQueueHandler(
  config: AppConfig,
  deps: WorkerDependencies,
  policy: WorkerPolicy,
  onOutcome?: (outcome: BatchOutcome) => void,
  options: PollOptions = {},
): QueueHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const parsed = PollBatchSchema.safeParse(safeJson(record.body));
    if (!parsed.success) {
      // Retrying cannot fix it: it fails until the queue moves it to the dead-letter queue, where
      // the alarm makes someone look.
      throw new Error(`Not a poll batch: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    }
    const outcome = await pollBatch(config, parsed.data, deps, policy, options);
    onOutcome?.(outcome);
    if (outcome.kind === "polled") {
      deps.log.info("poll batch finished", {
        host: parsed.data.host,
        polled: outcome.summary.polled,
        failed: outcome.summary.failed,
        deferred: outcome.summary.deferred,
        heldElsewhere: outcome.heldElsewhere.length,
        itemsStored: outcome.summary.itemsStored,
      });
      // Matches that could not be stored must not be forgotten: the message comes back after its
      // visibility timeout. Those feeds' validators were not advanced, so nothing is skipped.
      if (outcome.summary.storeFailures > 0) {
        throw new Error(`${outcome.summary.storeFailures} feed(s) could not store their matches`);
      }
    }
  };
  return async (event, context) =>
    processPartialResponse(event, handleRecord, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    }) as Promise<SQSBatchResponse>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
