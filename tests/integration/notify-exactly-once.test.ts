// Exactly once per subscriber and story, proved by breaking each step: real DynamoDB Local, the real
// stream pump and handler, the real SNS adapter on a mocked SNS client (the one part that cannot run
// here). A message "delivered" below is an entry SNS accepted; each subscriber's share is computed
// with the same filter policies SNS applies.
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { notifySettingsFrom } from "#functions/notify-subscribers/settings.ts";
import { createNotifyHandler } from "#functions/notify-subscribers/stream-handler.ts";
import { createDeliveryLedger } from "#shared/adapters/dynamodb/delivery-ledger.ts";
import { createItemStore, type ItemLedger } from "#shared/adapters/dynamodb/item-store.ts";
import { createStoryStore } from "#shared/adapters/dynamodb/story-store.ts";
import { createStreamPump } from "#shared/adapters/local/stream-pump.ts";
import { createSnsPublisher } from "#shared/adapters/sns-publisher.ts";
import { parseConfig, type SubscriberConfig } from "#shared/config/schema.ts";
import { createMatcher } from "#shared/domain/match/index.ts";
import { filterPolicyFor, policyAccepts } from "#shared/domain/subscriptions.ts";
import type { StoredItem } from "#shared/domain/types.ts";
import type { AlertAttributes, AlertPublisher, DeliveryLedger, ItemStore } from "#shared/ports.ts";
import { useDynamoDbLocal } from "../support/dynamodb.ts";

const ddb = useDynamoDbLocal();
const sns = mockClient(SNSClient);
const matcher = createMatcher();
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts";
const FAR_FUTURE = Math.floor(Date.now() / 1000) + 86_400 * 30;

const config = parseConfig({
  feeds: [
    { id: "wire", url: "https://wire.example/rss" },
    { id: "daily", url: "https://daily.example/rss" },
    { id: "agency", url: "https://agency.example/rss", language: "ru" },
  ],
  subscribers: [
    { id: "analyst", protocol: "email", endpoint: "analyst@example.com" },
    { id: "pager", protocol: "sms", endpoint: "+15555550100", minOutlets: 2 },
  ],
});

/** One development told by three outlets in two languages. */
const REPORTS = [
  {
    feedId: "wire",
    title: "North Korean troops arrive in Russia's Kursk region",
    summary:
      "Thousands of Korean People's Army soldiers reached Kursk to fight alongside Russian forces, Kyiv said.",
    language: "en",
  },
  {
    feedId: "daily",
    title: "Pyongyang sends fresh troops to Kursk as Moscow pact deepens",
    summary:
      "North Korea has deployed more soldiers to Russia's Kursk region under the mutual defence treaty.",
    language: "en",
  },
  {
    feedId: "agency",
    title: "В Курскую область прибыли военнослужащие КНДР",
    summary: "Военные Корейской народной армии прибыли в Курскую область России, сообщили источники.",
    language: "ru",
  },
];

function storedItem(report: (typeof REPORTS)[number], index: number): StoredItem {
  const item = { id: `item-${index}`, link: `https://${report.feedId}.example/${index}`, ...report };
  const match = matcher.match(item);
  expect(match.relevant, `fixture "${report.title}" must match`).toBe(true);
  return { ...item, match, feedName: report.feedId, official: false, seenAt: new Date().toISOString() };
}

interface Accepted {
  attributes: AlertAttributes;
  message: string;
}

/** SNS stand-in: records every entry it accepts; `failNext` decides per call whether to fail. */
function fakeSns(failNext: (call: number) => "throw" | "fail-entries" | "ok" = () => "ok") {
  const accepted: Accepted[] = [];
  let calls = 0;
  sns.reset();
  sns
    .on(PublishBatchCommand)
    .callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
      const mode = failNext(++calls);
      if (mode === "throw") throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      const entries = input.PublishBatchRequestEntries;
      if (mode === "fail-entries") {
        return {
          Failed: entries.map((e) => ({
            Id: e.Id,
            Code: "InternalError",
            SenderFault: false,
            Message: "try again",
          })),
        };
      }
      for (const entry of entries)
        accepted.push({ attributes: attributesOf(entry), message: entry.Message ?? "" });
      return { Successful: entries.map((e, i) => ({ Id: e.Id, MessageId: `m-${calls}-${i}` })) };
    });
  return { accepted, calls: () => calls };
}

function attributesOf(entry: PublishBatchRequestEntry): AlertAttributes {
  const raw = Object.fromEntries(
    Object.entries(entry.MessageAttributes ?? {}).map(([k, v]) => [
      k,
      v.DataType === "String.Array"
        ? JSON.parse(v.StringValue ?? "[]")
        : v.DataType === "Number"
          ? Number(v.StringValue)
          : v.StringValue,
    ]),
  );
  return raw as unknown as AlertAttributes;
}

function messagesPerSubscriber(
  accepted: Accepted[],
  subscribers: SubscriberConfig[],
): Record<string, number> {
  return Object.fromEntries(
    subscribers.map((s) => [
      s.id,
      accepted.filter((a) => policyAccepts(filterPolicyFor(s), a.attributes)).length,
    ]),
  );
}

interface HarnessOptions {
  ledger?: (real: DeliveryLedger) => DeliveryLedger;
  items?: (real: ItemStore & ItemLedger) => ItemLedger;
  publisher?: (real: AlertPublisher) => AlertPublisher;
  clock?: { now(): Date; sleep(ms: number): Promise<void> };
}

async function harness(options: HarnessOptions = {}) {
  const table = await ddb.freshTable();
  const items = createItemStore(ddb.doc, table.name);
  const realLedger = createDeliveryLedger(ddb.doc, table.name, 86_400);
  const realPublisher = createSnsPublisher(new SNSClient({ region: "eu-west-1" }), TOPIC, {
    baseDelayMs: 1,
  });
  const handler = createNotifyHandler(
    {
      stories: createStoryStore(ddb.doc, table.name),
      items: options.items ? options.items(items) : items,
      ledger: options.ledger ? options.ledger(realLedger) : realLedger,
      publisher: options.publisher ? options.publisher(realPublisher) : realPublisher,
      clock: options.clock ?? { now: () => new Date() },
      sleep: options.clock?.sleep ?? (async () => {}),
      log: { debug() {}, info() {}, warn() {}, error() {} },
    },
    notifySettingsFrom(config),
  );
  const pump = createStreamPump(ddb.local.streams, table.streamArn, { retryAttempts: 3, retryDelayMs: 1 });
  const insertAll = async () => {
    for (const [i, report] of REPORTS.entries()) await items.putIfNew(storedItem(report, i), FAR_FUTURE);
  };
  return { insertAll, drain: () => pump.drain(handler) };
}

describe("one alert per story and subscriber, whatever fails", () => {
  beforeEach(() => sns.reset());

  it("turns one development from three outlets in two languages into one alert per subscriber", async () => {
    const fake = fakeSns();
    const { insertAll, drain } = await harness();

    await insertAll();
    const result = await drain();

    expect(result.failed).toHaveLength(0);
    // The pager waits for a second outlet: its first message is the confirmation, not the opening.
    expect(messagesPerSubscriber(fake.accepted, config.subscribers)).toEqual({ analyst: 1, pager: 1 });
  });

  it("sends nothing more on a second run over the same items", async () => {
    const fake = fakeSns();
    const { insertAll, drain } = await harness();
    await insertAll();
    await drain();
    const before = fake.accepted.length;

    await insertAll();
    const again = await drain();

    expect(again.records).toBe(0);
    expect(fake.accepted.length).toBe(before);
  });

  it("delivers once when SNS throttles the first attempt and fails every entry of the second", async () => {
    const fake = fakeSns((call) => (call === 1 ? "throw" : call === 2 ? "fail-entries" : "ok"));
    const { insertAll, drain } = await harness();

    await insertAll();
    const result = await drain();

    expect(result.failed).toHaveLength(0);
    expect(fake.calls()).toBeGreaterThan(2);
    expect(messagesPerSubscriber(fake.accepted, config.subscribers)).toEqual({ analyst: 1, pager: 1 });
  });

  it("delivers once when SNS is down for a whole invocation and back for the stream's retry", async () => {
    // The mock stands behind the SDK's own retries: each failed call is what the SDK gave up on. The
    // adapter does not send it again; the notifier releases its claim and the pump retries the record.
    const fake = fakeSns((call) => (call <= 2 ? "throw" : "ok"));
    const { insertAll, drain } = await harness();

    await insertAll();
    const result = await drain();

    expect(result.retries).toBeGreaterThan(0);
    expect(result.failed).toHaveLength(0);
    expect(messagesPerSubscriber(fake.accepted, config.subscribers)).toEqual({ analyst: 1, pager: 1 });
  });

  it("sends no duplicate after a crash between the publish being marked sent and the item being marked", async () => {
    const fake = fakeSns();
    let crashes = 0;
    const { insertAll, drain } = await harness({
      items: (real) => ({
        ...real,
        async markProcessed(itemId, storyId, at) {
          if (crashes++ === 0) throw new Error("simulated crash before the item is marked processed");
          return real.markProcessed(itemId, storyId, at);
        },
      }),
    });

    await insertAll();
    const result = await drain();

    expect(crashes).toBeGreaterThan(1);
    expect(result.failed).toHaveLength(0);
    expect(messagesPerSubscriber(fake.accepted, config.subscribers)).toEqual({ analyst: 1, pager: 1 });
  });

  it("loses nothing after a crash between the claim and the publish: the claim is taken over after its lease", async () => {
    const fake = fakeSns();
    const clock = testClock();
    let crashed = false;
    const { insertAll, drain } = await harness({
      clock,
      publisher: (real) => ({
        async publish(alerts) {
          if (!crashed) {
            crashed = true;
            throw new Error("simulated crash after claiming, before SNS was called");
          }
          return real.publish(alerts);
        },
      }),
    });

    await insertAll();
    const result = await drain();

    expect(crashed).toBe(true);
    expect(result.failed).toHaveLength(0);
    expect(clock.advancedMs()).toBeGreaterThanOrEqual(60_000);
    expect(messagesPerSubscriber(fake.accepted, config.subscribers)).toEqual({ analyst: 1, pager: 1 });
  });

  it("re-sends exactly once, and only after the lease, when a crash hits between SNS accepting and the ledger write", async () => {
    // The one window no design can close with a standard SNS topic (it has no idempotent publish):
    // it spans a single DynamoDB write. We choose a rare duplicate over a missed alert.
    const fake = fakeSns();
    const clock = testClock();
    let crashed = false;
    const { insertAll, drain } = await harness({
      clock,
      ledger: (real) => ({
        ...real,
        async complete(key, now, messageId) {
          if (!crashed) {
            crashed = true;
            throw new Error("simulated crash after SNS accepted, before the ledger says SENT");
          }
          return real.complete(key, now, messageId);
        },
      }),
    });

    await insertAll();
    const result = await drain();

    expect(result.failed).toHaveLength(0);
    // The crash hit the opening alert: after the lease it goes out again (one duplicate, to the
    // analyst); the pager's confirmation, published after recovery, goes out once.
    expect(messagesPerSubscriber(fake.accepted, config.subscribers)).toEqual({ analyst: 2, pager: 1 });
    expect(clock.advancedMs()).toBeGreaterThanOrEqual(60_000);
  });
});

/** A clock that only moves when the notifier waits: lease expiry without waiting a minute. */
function testClock() {
  let now = Date.now();
  const start = now;
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
    advancedMs: () => now - start,
  };
}
