// Secondary adapter: AlertPublisher on an SNS topic. Alerts go out with PublishBatch (10 entries,
// 256 KB per call), one JSON message per alert with an email and an SMS body, and the message
// attributes the subscriptions' filter policies select on.
// Retries: a whole call that fails (throttling, 5xx, network) is retried by the SDK's own strategy,
// configured on the client (aws-retry.ts); this adapter never sends a failed call again. A call can
// succeed while some of its entries fail, which the SDK cannot see: those entries, when SNS failed
// them on its side, are sent again here with p-retry.
import {
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  type PublishBatchResponse,
  type SNSClient,
} from "@aws-sdk/client-sns";
import pRetry from "p-retry";
import type { Alert, AlertPublisher, PublishResult } from "../ports.ts";

export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024;

export interface SnsPublisherOptions {
  /** Rounds for entries SNS listed in Failed[] on its side, the first included. */
  entryAttempts?: number;
  /** Backoff before the second round; doubles each round, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  log?: { warn(message: string, ...extra: Record<string, unknown>[]): void };
}

/** Entry rounds by default: SNS's own entry failures are rare and short-lived. */
const DEFAULT_ENTRY_ATTEMPTS = 4;
const DEFAULT_BASE_DELAY_MS = 200;
const DEFAULT_MAX_DELAY_MS = 5_000;

interface Pending {
  index: number;
  entry: PublishBatchRequestEntry;
  bytes: number;
}

/** A round left entries SNS failed on its side; p-retry runs another round for them. */
class EntriesFailed extends Error {
  override name = "EntriesFailed";
}

export function createSnsPublisher(
  client: SNSClient,
  topicArn: string,
  options: SnsPublisherOptions = {},
): AlertPublisher {
  const entryAttempts = Math.max(1, options.entryAttempts ?? DEFAULT_ENTRY_ATTEMPTS);
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;

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
      if (pending.length === 0) return results.map((r) => r ?? notAttempted);

      const round = async () => {
        const again: Pending[] = [];
        for (const batch of batches(pending)) {
          const outcome = await sendBatch(client, topicArn, batch);
          for (const item of batch) {
            const result = outcome.get(item.entry.Id as string) ?? missingEntry;
            results[item.index] = result.result;
            if (result.entryFailure && !result.result.ok && result.result.retryable) again.push(item);
          }
        }
        pending = again;
        if (again.length > 0) throw new EntriesFailed(`${again.length} entries failed on SNS's side`);
      };
      try {
        await pRetry(round, {
          retries: entryAttempts - 1,
          factor: 2,
          minTimeout: baseDelayMs,
          maxTimeout: maxDelayMs,
          shouldRetry: ({ error }) => error instanceof EntriesFailed,
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            if (error instanceof EntriesFailed && retriesLeft > 0)
              options.log?.warn("SNS publish entries failed, retrying", {
                failed: pending.length,
                attempt: attemptNumber,
              });
          },
        });
      } catch (err) {
        // The last round's failures are in the results; anything else is a bug worth seeing.
        if (!(err instanceof EntriesFailed)) throw err;
      }
      return results.map((result) => result ?? notAttempted);
    },
  };
}

const notAttempted: PublishResult = { ok: false, error: "not attempted", retryable: true };

/** What one entry came to, and whether it was SNS failing the entry (ours to retry) or the call. */
interface EntryOutcome {
  result: PublishResult;
  entryFailure: boolean;
}

const missingEntry: EntryOutcome = {
  result: { ok: false, error: "SNS returned no result for this entry", retryable: true },
  entryFailure: true,
};

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
): Promise<Map<string, EntryOutcome>> {
  const outcome = new Map<string, EntryOutcome>();
  let response: PublishBatchResponse;
  try {
    response = await client.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: batch.map((p) => p.entry) }),
    );
  } catch (error) {
    // The SDK already retried this call as far as its strategy allows: report, do not send again.
    const failure: PublishResult = { ok: false, error: describe(error), retryable: isRetryable(error) };
    for (const item of batch) outcome.set(item.entry.Id as string, { result: failure, entryFailure: false });
    return outcome;
  }
  for (const success of response.Successful ?? []) {
    if (success.Id)
      outcome.set(success.Id, { result: { ok: true, messageId: success.MessageId }, entryFailure: true });
  }
  for (const failed of response.Failed ?? []) {
    if (!failed.Id) continue;
    outcome.set(failed.Id, {
      result: {
        ok: false,
        error: `${failed.Code ?? "Failed"}: ${failed.Message ?? "no message"}`,
        // The sender's fault (bad parameter, too long, no permission) fails the same way again.
        retryable: failed.SenderFault !== true,
      },
      entryFailure: true,
    });
  }
  return outcome;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * After the SDK gave up on a call: throttling, service-side and network failures may pass later (the
 * notifier releases its claim and the stream retries the record); a request SNS rejected will not.
 */
function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return true;
  const e = error as {
    name?: string;
    $fault?: "client" | "server";
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.$retryable) return true;
  if (/Throttl|TooManyRequests/.test(e.name ?? "")) return true;
  if (e.$fault === "server") return true;
  if (e.$fault === "client") return false;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  // No HTTP status at all: the request never got an answer (network, timeout).
  return true;
}
