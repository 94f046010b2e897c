// Secondary adapter: AlertPublisher on an SNS topic. Alerts go out with PublishBatch (10 entries,
// 256 KB per call), one JSON message per alert with an email and an SMS body, and the message
// attributes the subscriptions' filter policies select on. A batch call can succeed while some of
// its entries fail, so every entry is checked and the retryable ones are sent again.
import { setTimeout as wait } from "node:timers/promises";
import {
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  type PublishBatchResponse,
  type SNSClient,
} from "@aws-sdk/client-sns";
import type { Alert, AlertPublisher, PublishResult } from "../ports.ts";

export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024;

export interface SnsPublisherOptions {
  /** Attempts per alert, the first included. */
  maxAttempts?: number;
  /** Backoff before the second attempt; doubles each time, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  log?: { warn(message: string, ...extra: Record<string, unknown>[]): void };
}

interface Pending {
  index: number;
  entry: PublishBatchRequestEntry;
  bytes: number;
}

const THROTTLING = new Set([
  "Throttled",
  "ThrottledException",
  "ThrottlingException",
  "TooManyRequestsException",
  "KMSThrottling",
  "KMSThrottlingException",
  "InternalError",
  "InternalErrorException",
  "ServiceUnavailable",
  "RequestTimeout",
  "TimeoutError",
]);

export function createSnsPublisher(
  client: SNSClient,
  topicArn: string,
  options: SnsPublisherOptions = {},
): AlertPublisher {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => wait(ms));

  return {
    async publish(alerts: Alert[]): Promise<PublishResult[]> {
      const results: (PublishResult | undefined)[] = alerts.map(() => undefined);
      let pending: Pending[] = [];
      for (const [index, alert] of alerts.entries()) {
        const entry = toBatchEntry(alert, `alert-${index}`);
        const bytes = entryBytes(entry);
        if (bytes > MAX_BATCH_BYTES) {
          results[index] = {
            ok: false,
            error: `message is ${bytes} bytes; SNS accepts at most ${MAX_BATCH_BYTES}`,
            retryable: false,
          };
        } else {
          pending.push({ index, entry, bytes });
        }
      }

      for (let attempt = 1; pending.length > 0; attempt++) {
        const lastAttempt = attempt >= maxAttempts;
        const retry: Pending[] = [];
        for (const batch of batches(pending)) {
          const outcome = await sendBatch(client, topicArn, batch);
          for (const item of batch) {
            const result = outcome.get(item.entry.Id as string) ?? {
              ok: false as const,
              error: "SNS returned no result for this entry",
              retryable: true,
            };
            if (!result.ok && result.retryable && !lastAttempt) retry.push(item);
            else results[item.index] = result;
          }
        }
        if (retry.length > 0) {
          const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          options.log?.warn("SNS publish entries failed, retrying", {
            failed: retry.length,
            attempt,
            delayMs: delay,
          });
          await sleep(delay);
        }
        pending = retry;
      }
      return results.map((result) => result ?? { ok: false, error: "not attempted", retryable: true });
    },
  };
}

/** One SNS batch entry: MessageStructure=json with per-protocol bodies, and the filter attributes. */
export function toBatchEntry(alert: Alert, id: string): PublishBatchRequestEntry {
  const a = alert.attributes;
  const text = (value: string, fallback: string) => ({
    DataType: "String",
    StringValue: value.trim() === "" ? fallback : value,
  });
  return {
    Id: id,
    Subject: alert.subject,
    MessageStructure: "json",
    Message: JSON.stringify({ default: alert.default, email: alert.email, sms: alert.sms }),
    MessageAttributes: {
      kind: text(a.kind, "alert"),
      stage: text(a.stage, "unknown"),
      level: { DataType: "Number", StringValue: String(a.level) },
      severity: text(a.severity, "normal"),
      entities: { DataType: "String.Array", StringValue: JSON.stringify(a.entities) },
      language: text(a.language, "und"),
      feed: text(a.feed, "unknown"),
      audience: text(a.audience, "UTC"),
    },
  };
}

/** Bytes SNS counts against the 256 KB limit: the message, the subject and every attribute. */
function entryBytes(entry: PublishBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.Message ?? "") + Buffer.byteLength(entry.Subject ?? "");
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? "") +
      Buffer.byteLength(value.StringValue ?? "");
  }
  return bytes;
}

/** Groups entries in order into batches of at most 10 entries and 256 KB. */
function batches(pending: Pending[]): Pending[][] {
  const groups: Pending[][] = [];
  let current: Pending[] = [];
  let size = 0;
  for (const item of pending) {
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && size + item.bytes > MAX_BATCH_BYTES)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += item.bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

async function sendBatch(
  client: SNSClient,
  topicArn: string,
  batch: Pending[],
): Promise<Map<string, PublishResult>> {
  const outcome = new Map<string, PublishResult>();
  let response: PublishBatchResponse;
  try {
    response = await client.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: batch.map((p) => p.entry) }),
    );
  } catch (error) {
    const failure: PublishResult = { ok: false, error: describe(error), retryable: isRetryable(error) };
    for (const item of batch) outcome.set(item.entry.Id as string, failure);
    return outcome;
  }
  for (const success of response.Successful ?? []) {
    if (success.Id) outcome.set(success.Id, { ok: true, messageId: success.MessageId });
  }
  for (const failed of response.Failed ?? []) {
    if (!failed.Id) continue;
    outcome.set(failed.Id, {
      ok: false,
      error: `${failed.Code ?? "Failed"}: ${failed.Message ?? "no message"}`,
      // The sender's fault (bad parameter, too long, no permission) fails the same way again.
      retryable: failed.SenderFault !== true,
    });
  }
  return outcome;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Service-side, throttling and network errors are worth another try; a rejected request is not. */
function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return true;
  const e = error as {
    name?: string;
    $fault?: "client" | "server";
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.$retryable) return true;
  if (e.name && THROTTLING.has(e.name)) return true;
  if (e.$fault === "server") return true;
  if (e.$fault === "client") return false;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  // No HTTP status at all: the request never got an answer (network, timeout).
  return true;
}
