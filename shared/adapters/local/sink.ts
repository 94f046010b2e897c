// Secondary adapter for `npm start`: stands in for the SNS topic. Each alert goes to every
// configured subscriber whose filter policy accepts it (the very policy the deployment gives SNS),
// is printed as that subscriber would see it, and is appended to a JSONL outbox.
import { randomUUID } from "node:crypto";
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { SubscriberConfig } from "../../config/schema.ts";
import { smsSegments } from "../../domain/gsm.ts";
import { filterPolicyFor, policyAccepts } from "../../domain/subscriptions.ts";
import type { Alert, AlertPublisher, PublishResult } from "../../ports.ts";

export interface LocalSinkOptions {
  subscribers: SubscriberConfig[];
  outboxPath: string;
  print: (text: string) => void;
  now?: () => Date;
}

/** One line of the outbox: one message one subscriber would have received. */
export interface OutboxRecord {
  at: string;
  messageId: string;
  protocol: "email" | "sms";
  subscriber: string;
  endpoint: string;
  subject?: string;
  message: string;
  smsSegments?: number;
  storyId: string;
  stage: string;
  audience: string;
  kind: string;
  severity: string;
  level: number;
  links: string[];
}

export function createLocalSink(options: LocalSinkOptions): AlertPublisher {
  const now = options.now ?? (() => new Date());
  const routes = options.subscribers.map((subscriber) => ({
    subscriber,
    policy: filterPolicyFor(subscriber),
  }));
  let directoryReady: Promise<unknown> | undefined;

  return {
    async publish(alerts: Alert[]): Promise<PublishResult[]> {
      const results: PublishResult[] = [];
      for (const alert of alerts) {
        const messageId = `local-${randomUUID()}`;
        const at = now().toISOString();
        const records: OutboxRecord[] = [];
        for (const { subscriber, policy } of routes) {
          if (!policyAccepts(policy, alert.attributes)) continue;
          const record = toRecord(alert, subscriber, messageId, at);
          records.push(record);
          options.print(renderDelivery(record));
        }
        try {
          if (records.length > 0) {
            directoryReady ??= mkdir(dirname(options.outboxPath), { recursive: true });
            await directoryReady;
            await appendFile(
              options.outboxPath,
              records.map((r) => `${JSON.stringify(r)}\n`).join(""),
              "utf8",
            );
          }
          results.push({ ok: true, messageId });
        } catch (error) {
          directoryReady = undefined;
          results.push({
            ok: false,
            error: `cannot write outbox: ${(error as Error).message}`,
            retryable: true,
          });
        }
      }
      return results;
    },
  };
}

function toRecord(alert: Alert, subscriber: SubscriberConfig, messageId: string, at: string): OutboxRecord {
  const base = {
    at,
    messageId,
    subscriber: subscriber.id,
    endpoint: subscriber.endpoint,
    storyId: alert.key.storyId,
    stage: alert.key.stage,
    audience: alert.key.audience,
    kind: alert.attributes.kind,
    severity: alert.attributes.severity,
    level: alert.attributes.level,
    links: alert.links,
  };
  if (subscriber.protocol === "sms") {
    return { ...base, protocol: "sms", message: alert.sms, smsSegments: smsSegments(alert.sms).segments };
  }
  return { ...base, protocol: "email", subject: alert.subject, message: alert.email };
}

/** What the subscriber would see, framed so consecutive messages stay apart in a terminal. */
export function renderDelivery(record: OutboxRecord): string {
  const rule = "-".repeat(72);
  if (record.protocol === "sms") {
    const cost = smsSegments(record.message);
    return [
      rule,
      `SMS to ${record.endpoint} (${record.subscriber}), ${cost.segments} segment${cost.segments === 1 ? "" : "s"}, ${cost.encoding}, ${cost.units} chars`,
      record.message,
      rule,
    ].join("\n");
  }
  return [
    rule,
    `EMAIL to ${record.endpoint} (${record.subscriber})`,
    `Subject: ${record.subject ?? ""}`,
    "",
    record.message,
    rule,
  ].join("\n");
}
