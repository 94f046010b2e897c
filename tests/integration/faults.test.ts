// The whole pipeline under faults, then recovery: the real poll use case, stream pump and notifier on
// DynamoDB Local and a loopback feed server, with seeded faults injected at the SDK boundary
// (DynamoDB client middleware), the HTTP boundary (a misbehaving feed server), the SNS client
// (aws-sdk-client-mock), the stream invocation (function errors, bisected) and the poll's deadline.
// After the faults stop and the pipeline catches up, every development must have reached every
// subscriber it concerns exactly once, compared with a fault-free run of the same feeds.
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "#functions/local/seeded-random.ts";
import { notifySettingsFrom } from "#functions/notify-subscribers/settings.ts";
import { createNotifyHandler } from "#functions/notify-subscribers/stream-handler.ts";
import { pollFeeds } from "#functions/poll-feeds/poll-feeds.ts";
import { createDeliveryLedger } from "#shared/adapters/dynamodb/delivery-ledger.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createFeedStateStore } from "#shared/adapters/dynamodb/feed-state-store.ts";
import { createItemStore } from "#shared/adapters/dynamodb/item-store.ts";
import { createStoryStore } from "#shared/adapters/dynamodb/story-store.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { createStreamPump } from "#shared/adapters/local/stream-pump.ts";
import { createSnsPublisher } from "#shared/adapters/sns-publisher.ts";
import { type AppConfig, parseConfig } from "#shared/config/schema.ts";
import { createMatcher } from "#shared/domain/match/index.ts";
import { filterPolicyFor, policyAccepts } from "#shared/domain/subscriptions.ts";
import type { AlertAttributes, DeliveryLedger } from "#shared/ports.ts";
import { type CapturedLog, captureLog } from "../support/capture-log.ts";
import { useDynamoDbLocal } from "../support/dynamodb.ts";
import { type DynamoFaultLog, injectDynamoFaults } from "../support/dynamodb-faults.ts";
import {
  type Development,
  type FaultFeedServer,
  startFaultFeedServer,
} from "../support/fault-feed-server.ts";
import { shortenSdkBackoff } from "../support/short-backoff.ts";

const ddb = useDynamoDbLocal();
const sns = mockClient(SNSClient);
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts";
const SEED = 20261207;
const FEEDS = 6;
const DAY_MS = 86_400_000;
/** Share of calls or requests that fail while faults are on. */
const DYNAMO_FAULT_RATE = 0.1;
const SNS_FAULT_RATE = 0.25;
const HTTP_FAULT_RATE = 0.25;
const FUNCTION_ERROR_RATE = 0.2;
const FAULT_CYCLES = 3;
const MAX_RECOVERY_CYCLES = 4;

const TEMPLATES: Array<[string, string]> = [
  [
    "North Korean troops arrive in Russia's Kursk region",
    "Thousands of Korean People's Army soldiers reached Kursk to fight alongside Russian forces, Kyiv said.",
  ],
  [
    "Putin and Kim Jong Un sign a new defence agreement in Pyongyang",
    "The Russian and North Korean leaders signed the accord during talks in Pyongyang.",
  ],
  [
    // Hostile text a feed may carry: a bidi override and a zero-width space in the headline, a
    // javascript: link in the summary's HTML. No alert may pass them on.
    "Russia delivers air defence systems to North Korea \u202e\u200bsoon",
    "Moscow shipped air defence batteries to Pyongyang under the partnership treaty, officials said. " +
      "&lt;a href=&quot;javascript:alert(1)&quot;&gt;more&lt;/a&gt;",
  ],
  [
    "Lavrov meets North Korean foreign minister in Moscow",
    "Sergei Lavrov and Choe Son Hui discussed the treaty between Russia and North Korea in Moscow.",
  ],
];

/** Developments three days apart (never one story); two feeds per version, one reported twice. */
function developments(now: Date): Development[] {
  return Array.from({ length: FEEDS * 3 }, (_, id) => {
    const [title, summary] = TEMPLATES[id % TEMPLATES.length] as [string, string];
    return {
      id,
      feeds: id === 0 ? [0, 1] : [id % FEEDS],
      title,
      summary,
      published: new Date(now.getTime() - 3_600_000 - id * 3 * DAY_MS),
      since: id < FEEDS * 2 ? 1 : 2,
    };
  });
}

function configFor(server: FaultFeedServer): AppConfig {
  return parseConfig({
    feeds: Array.from({ length: FEEDS }, (_, i) => ({
      id: `feed-${i}`,
      url: server.url(i),
      language: "en",
      timeoutSeconds: 0.5,
    })),
    subscribers: [
      { id: "analyst", protocol: "email", endpoint: "analyst@example.com", timeZone: "Europe/Berlin" },
      { id: "pager", protocol: "sms", endpoint: "+15555550100", minOutlets: 2 },
      { id: "duty", protocol: "sms", endpoint: "+15555550111", minSeverity: "high" },
    ],
    polling: { concurrency: 2, deadlineSeconds: 30 },
    stories: { windowHours: 24 },
    alerts: { maxAgeHours: 24 * 90 },
  });
}

interface Accepted {
  attributes: AlertAttributes;
  development: number;
  subject: string;
  email: string;
  sms: string;
}

interface SnsFaults {
  on: boolean;
  injected: { "entry-failure": number; "call-5xx": number; throttling: number };
}

/** SNS behind the SDK: a seeded share of calls fail whole (5xx, throttling) or fail some entries. */
function fakeSns(accepted: Accepted[], random: () => number): SnsFaults {
  const faults: SnsFaults = { on: false, injected: { "entry-failure": 0, "call-5xx": 0, throttling: 0 } };
  let calls = 0;
  sns.reset();
  sns
    .on(PublishBatchCommand)
    .callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
      calls++;
      const roll = faults.on ? random() : 1;
      if (roll < SNS_FAULT_RATE / 3) {
        faults.injected["call-5xx"]++;
        throw Object.assign(new Error("Internal error"), {
          name: "InternalErrorException",
          $fault: "server",
        });
      }
      if (roll < (2 * SNS_FAULT_RATE) / 3) {
        faults.injected.throttling++;
        throw Object.assign(new Error("Rate exceeded"), { name: "ThrottledException", $fault: "client" });
      }
      const failing = roll < SNS_FAULT_RATE;
      const successful = [];
      const failed = [];
      for (const [i, entry] of input.PublishBatchRequestEntries.entries()) {
        if (failing && i % 2 === 0) {
          faults.injected["entry-failure"]++;
          failed.push({ Id: entry.Id, Code: "InternalError", SenderFault: false, Message: "try again" });
          continue;
        }
        const bodies = JSON.parse(entry.Message ?? "{}") as { email?: string; sms?: string };
        accepted.push({
          attributes: attributesOf(entry),
          development: developmentOf(entry),
          subject: entry.Subject ?? "",
          email: bodies.email ?? "",
          sms: bodies.sms ?? "",
        });
        successful.push({ Id: entry.Id, MessageId: `m-${calls}-${i}` });
      }
      return { Successful: successful, Failed: failed };
    });
  return faults;
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

function developmentOf(entry: PublishBatchRequestEntry): number {
  const email = (JSON.parse(entry.Message ?? "{}") as { email?: string }).email ?? "";
  return Number(/\/dev-(\d+)/.exec(email)?.[1] ?? -1);
}

/** Per subscriber, how many messages each development (and stage) reached them. */
function deliveries(accepted: Accepted[], config: AppConfig): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of config.subscribers) {
    const policy = filterPolicyFor(s);
    for (const a of accepted) {
      if (!policyAccepts(policy, a.attributes)) continue;
      const key = `${s.id} dev-${a.development} ${a.attributes.stage}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

interface RunOptions {
  faults: boolean;
}

interface RunResult {
  config: AppConfig;
  counts: Map<string, number>;
  accepted: Accepted[];
  log: CapturedLog;
  dynamo?: DynamoFaultLog;
  sns: SnsFaults;
  http: FaultFeedServer["faults"]["injected"];
  functionErrors: number;
  bisections: number;
  deferred: number;
  feedsChanged: number;
  windowHits: number;
  cycles: number;
  pumpFailed: number;
}

/** One run of the pipeline over the same feeds: fault cycles (if any), then cycles until caught up. */
async function run(options: RunOptions): Promise<RunResult> {
  const random = seededRandom(SEED);
  const now = new Date();
  const server = await startFaultFeedServer(developments(now), random);
  try {
    const config = configFor(server);
    const table = await ddb.freshTable();
    const client = ddb.newClient();
    shortenSdkBackoff(client);
    const dynamo = options.faults
      ? injectDynamoFaults(client, {
          rate: DYNAMO_FAULT_RATE,
          random,
          kinds: ["throttle", "server-error", "lost-answer"],
        })
      : undefined;
    const doc = createDocumentClient(client);
    const log = captureLog();
    const accepted: Accepted[] = [];
    const snsFaults = fakeSns(accepted, random);
    const items = createItemStore(doc, table.name);
    const realLedger = createDeliveryLedger(doc, table.name, 86_400);
    let windowHits = 0;
    // SNS accepted, the ledger write failed: the one documented window for a duplicate.
    const ledger: DeliveryLedger = {
      ...realLedger,
      async complete(key, at, messageId) {
        try {
          await realLedger.complete(key, at, messageId);
        } catch (err) {
          windowHits++;
          throw err;
        }
      },
    };
    // The notifier waits for held claims on this clock: a lease passes without a minute of waiting.
    let notifyOffset = 0;
    const notifyClock = { now: () => new Date(Date.now() + notifyOffset) };
    let pollOffset = 0;
    let readsThisCycle = 0;
    let deadlineCycle = false;
    const reader = createFeedReader();
    const pollDeps = {
      reader: {
        read: (...args: Parameters<typeof reader.read>) => {
          // Half-way through the deadline cycle, the poll's clock passes its deadline.
          if (deadlineCycle && ++readsThisCycle === FEEDS / 2) pollOffset += 60_000;
          return reader.read(...args);
        },
      },
      states: createFeedStateStore(doc, table.name),
      items,
      matcher: createMatcher(),
      clock: { now: () => new Date(Date.now() + pollOffset) },
      log,
    };
    const handler = createNotifyHandler(
      {
        stories: createStoryStore(doc, table.name),
        items,
        ledger,
        publisher: createSnsPublisher(new SNSClient({ region: "eu-west-1" }), TOPIC, { baseDelayMs: 1, log }),
        clock: notifyClock,
        sleep: async (ms) => {
          notifyOffset += ms;
        },
        log,
      },
      notifySettingsFrom(config),
    );
    let functionErrors = 0;
    let functionErrorsOn = false;
    const invoke: typeof handler = async (event, context) => {
      // The first invocation under faults always fails whole, so a full batch is bisected.
      if (functionErrorsOn && (functionErrors === 0 || random() < FUNCTION_ERROR_RATE)) {
        functionErrors++;
        throw new Error("injected function error (timeout or crash of the whole invocation)");
      }
      return handler(event, context);
    };
    const pump = createStreamPump(ddb.local.streams, table.streamArn, { retryAttempts: 5, retryDelayMs: 1 });

    let bisections = 0;
    let deferred = 0;
    let pumpFailed = 0;
    const cycle = async () => {
      readsThisCycle = 0;
      const poll = await pollFeeds(config, pollDeps, { ignoreSchedule: true });
      deferred += poll.deferred;
      const pumped = await pump.drain(invoke);
      bisections += pumped.bisections;
      pumpFailed += pumped.failed.length;
      return poll.itemsStored + pumped.records;
    };

    let cycles = 0;
    let feedsChanged = 0;
    if (options.faults) {
      server.faults.on = true;
      server.faults.rate = HTTP_FAULT_RATE;
      snsFaults.on = true;
      functionErrorsOn = true;
      for (let i = 1; i <= FAULT_CYCLES; i++) {
        deadlineCycle = i === 1;
        if (i === 2) {
          server.version = 2;
          feedsChanged = FEEDS;
        }
        await cycle();
        cycles++;
      }
      deadlineCycle = false;
      dynamo?.stop();
      server.faults.on = false;
      snsFaults.on = false;
      functionErrorsOn = false;
    }
    server.version = 2;
    for (let i = 0; i < MAX_RECOVERY_CYCLES; i++) {
      cycles++;
      if ((await cycle()) === 0) break;
    }
    client.destroy();
    return {
      config,
      counts: deliveries(accepted, config),
      accepted,
      log,
      ...(dynamo ? { dynamo } : {}),
      sns: snsFaults,
      http: server.faults.injected,
      functionErrors,
      bisections,
      deferred,
      feedsChanged,
      windowHits,
      cycles,
      pumpFailed,
    };
  } finally {
    await server.close();
  }
}

describe("the pipeline under faults", () => {
  afterAll(() => sns.restore());

  it("alerts every development exactly once per subscriber after throttling, 5xx, resets, timeouts, function errors and a deadline", async () => {
    const baseline = await run({ faults: false });
    const faulty = await run({ faults: true });

    const expected = baseline.counts;
    let delivered = 0;
    let duplicated = 0;
    let lost = 0;
    for (const [key] of expected) {
      const got = faulty.counts.get(key) ?? 0;
      delivered += Math.min(got, 1);
      duplicated += Math.max(0, got - 1);
      if (got === 0) lost++;
    }
    const unexpected = [...faulty.counts.keys()].filter((key) => !expected.has(key));
    const rows: Array<[string, number | string]> = [
      ["dynamodb throttling", faulty.dynamo?.injected.throttle ?? 0],
      ["dynamodb 5xx (not applied)", faulty.dynamo?.injected["server-error"] ?? 0],
      ["dynamodb 5xx after write (answer lost)", faulty.dynamo?.injected["lost-answer"] ?? 0],
      ["dynamodb calls in all", faulty.dynamo?.calls ?? 0],
      ["sns entries failed (Failed[])", faulty.sns.injected["entry-failure"]],
      ["sns whole call 5xx", faulty.sns.injected["call-5xx"]],
      ["sns whole call throttled", faulty.sns.injected.throttling],
      ["http timeout", faulty.http.timeout],
      ["http reset before headers", faulty.http.reset],
      ["http reset mid-body", faulty.http["reset-mid-body"]],
      ["feeds changed between fetches", faulty.feedsChanged],
      ["stream invocations failed whole", faulty.functionErrors],
      ["stream batches bisected", faulty.bisections],
      ["poll deadline: feeds deferred", faulty.deferred],
      ["cycles (faults + recovery)", faulty.cycles],
      ["alerts expected (subscriber x development x stage)", expected.size],
      ["alerts delivered", delivered],
      ["alerts duplicated", duplicated],
      ["  of which in the SNS-accepted/ledger-not-written window (max)", faulty.windowHits],
      ["alerts lost", lost],
      ["alerts not expected", unexpected.length],
      ["stream records failed after retries", faulty.pumpFailed],
    ];
    console.log(
      `\nFault injection (seed ${SEED})\n${rows.map(([k, v]) => `  ${k.padEnd(62)} ${String(v).padStart(6)}`).join("\n")}`,
    );

    expect(expected.size).toBeGreaterThanOrEqual(FEEDS * 3);
    expect(faulty.dynamo?.injected.throttle).toBeGreaterThan(0);
    expect(faulty.dynamo?.injected["lost-answer"]).toBeGreaterThan(0);
    expect(faulty.sns.injected["entry-failure"] + faulty.sns.injected["call-5xx"]).toBeGreaterThan(0);
    expect(faulty.http.timeout + faulty.http.reset + faulty.http["reset-mid-body"]).toBeGreaterThan(0);
    expect(faulty.bisections).toBeGreaterThan(0);
    expect(faulty.deferred).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(unexpected).toEqual([]);
    expect(duplicated).toBeLessThanOrEqual(faulty.windowHits);
    expect(baseline.windowHits).toBe(0);
    assertLogsClean(faulty.log, faulty.config);
    assertMessagesSafe(faulty.accepted);
  });
});

/** Control and format characters: bidi overrides and isolates, zero-width spaces, line separators. */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** What reached subscribers: http(s) links only, subjects and SMS without control or bidi characters. */
function assertMessagesSafe(accepted: Accepted[]): void {
  expect(accepted.length).toBeGreaterThan(0);
  for (const message of accepted) {
    expect(message.subject).not.toMatch(CONTROL_OR_FORMAT);
    expect(message.sms).not.toMatch(CONTROL_OR_FORMAT);
    // The email body has line breaks and nothing else of the kind.
    expect(message.email.replaceAll("\n", "")).not.toMatch(CONTROL_OR_FORMAT);
    const text = `${message.email}\n${message.sms}`;
    for (const [url] of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi)) expect(url).toMatch(/^https?:\/\//);
    expect(text).not.toMatch(/\b(?:javascript|data|vbscript|file):/i);
  }
}

/** No subscriber address, phone number or feed text in any log line the handlers wrote. */
function assertLogsClean(log: CapturedLog, config: AppConfig): void {
  expect(log.lines.length).toBeGreaterThan(0);
  const secrets = [
    ...config.subscribers.map((s) => s.endpoint),
    ...TEMPLATES.flat().map((text) => text.slice(0, 40)),
  ];
  for (const line of log.lines) {
    for (const secret of secrets) expect(line, `log line leaks "${secret}"`).not.toContain(secret);
    expect(line).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    expect(line).not.toMatch(/\+\d{8,15}/);
  }
}
