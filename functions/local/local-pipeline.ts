// The whole pipeline on this machine: DynamoDB Local (real engine, same table definition as the stack),
// demo feeds over loopback HTTP, the poll and notify handlers with their real adapters, the table's
// stream pumped into the notifier as Lambda would, and a sink that shows what each subscriber gets.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDeliveryLedger } from "#shared/adapters/dynamodb/delivery-ledger.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createFeedStateStore } from "#shared/adapters/dynamodb/feed-state-store.ts";
import { createItemStore, ITEM_ROW_KIND, itemFromRow } from "#shared/adapters/dynamodb/item-store.ts";
import { createStoryStore } from "#shared/adapters/dynamodb/story-store.ts";
import { ensureTable } from "#shared/adapters/dynamodb/table-definition.ts";
import { LOOPBACK_ALLOWED } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { demoConfig, startDemoFeedServer } from "#shared/adapters/local/demo-feed-server.ts";
import { connectDynamoDbLocal, startDynamoDbLocal } from "#shared/adapters/local/dynamodb-local.ts";
import { createLocalSink } from "#shared/adapters/local/sink.ts";
import { createStreamPump } from "#shared/adapters/local/stream-pump.ts";
import { loadConfigFile } from "#shared/config/load.ts";
import { type AppConfig, parseConfig } from "#shared/config/schema.ts";
import { createMatcher, resolveWatchList } from "#shared/domain/match/index.ts";
import type { StoredItem, Story } from "#shared/domain/types.ts";
import { type Log, systemClock } from "#shared/ports.ts";
import type { NotifyResult } from "../notify-subscribers/notify-subscribers.ts";
import { notifySettingsFrom } from "../notify-subscribers/settings.ts";
import { createNotifyHandler } from "../notify-subscribers/stream-handler.ts";
import type { FeedReport, PollSummary } from "../poll-feeds/poll-feeds.ts";
import { createPollHandler } from "../poll-feeds/poll-handler.ts";
import { type DigestSummary, sendDigest } from "../send-digest/send-digest.ts";

export const LOCAL_TABLE_NAME = "pact-watch-local";

export interface LocalPipelineOptions {
  /** A config file; without it, the bundled demo feeds and subscribers. `{{demo}}` in it is the demo server. */
  configPath?: string;
  outboxPath: string;
  /** Keep DynamoDB Local's data here; without it, in memory. */
  dataDir?: string;
  /** Use the DynamoDB Local already running at this loopback endpoint instead of starting one. */
  dynamoDbEndpoint?: string;
  /** Sees the DynamoDB client before use (the load bench counts its requests). */
  instrument?: (client: DynamoDBClient) => void;
  /** Every line the run shows. */
  print: (text: string) => void;
  log?: Log;
  /** Called as each feed finishes polling. */
  onFeed?: (report: FeedReport) => void;
  /** How long a publish claim holds (default DELIVERY_LEASE_MS): a killed run's claims block a rerun that long. */
  leaseMs?: number;
}

export interface CycleSummary {
  poll: PollSummary;
  notified: NotifyResult[];
  storiesOpened: number;
  storiesJoined: number;
  alertsPublished: number;
  messagesDelivered: number;
  streamRecords: number;
  streamFailures: number;
  /** Where the cycle's time went: polling (fetch, match, store) and the stream into the notifier. */
  pollMs: number;
  notifyMs: number;
  digest?: DigestSummary;
}

export interface LocalPipeline {
  config: AppConfig;
  feedServerUrl: string;
  dynamoDbEndpoint: string;
  runCycle(options?: { digest?: boolean }): Promise<CycleSummary>;
  /** Stories opened within the story window, newest first. */
  stories(): Promise<Story[]>;
  /** Every matched item in the table, with the story it was placed in: what the run stored. */
  storedItems(): Promise<Array<StoredItem & { storyId?: string }>>;
  stop(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const log = options.log ?? quietLog(options.print);
  const server = await startDemoFeedServer();
  const stops: Array<() => Promise<void>> = [() => server.close()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const config = loadRunConfig(options.configPath, server.baseUrl);
    const ddb = options.dynamoDbEndpoint
      ? await connectDynamoDbLocal(options.dynamoDbEndpoint)
      : await startDynamoDbLocal(options.dataDir ? { dataDir: options.dataDir } : {});
    stops.push(() => ddb.stop());
    options.instrument?.(ddb.client);
    const streamArn = await ensureTable(ddb.client, LOCAL_TABLE_NAME);
    const doc = createDocumentClient(ddb.client);

    let delivered = 0;
    const sink = createLocalSink({
      subscribers: config.subscribers,
      outboxPath: options.outboxPath,
      print: (text) => {
        delivered++;
        options.print(text);
      },
    });
    const itemStore = createItemStore(doc, LOCAL_TABLE_NAME);
    const stories = createStoryStore(doc, LOCAL_TABLE_NAME);
    const ledger = createDeliveryLedger(doc, LOCAL_TABLE_NAME, config.retentionDays * 86_400);

    const poll = createPollHandler(
      config,
      {
        // The demo server listens on 127.0.0.1: the local run allows loopback, and says so here.
        reader: createFeedReader({ addressPolicy: LOOPBACK_ALLOWED }),
        states: createFeedStateStore(doc, LOCAL_TABLE_NAME),
        items: itemStore,
        matcher: createMatcher(resolveWatchList(config.watchlist)),
        clock: systemClock,
        log,
      },
      undefined,
      // A person running the pipeline by hand wants every feed polled now, backoff or not.
      { ignoreSchedule: true, ...(options.onFeed ? { onFeed: options.onFeed } : {}) },
    );
    const notified: NotifyResult[] = [];
    const notify = createNotifyHandler(
      { stories, items: itemStore, ledger, publisher: sink, clock: systemClock, log },
      {
        ...notifySettingsFrom(config),
        ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      },
      (result) => notified.push(result),
    );
    const pump = createStreamPump(ddb.streams, streamArn);

    return {
      config,
      feedServerUrl: server.baseUrl,
      dynamoDbEndpoint: ddb.endpoint,
      async runCycle(cycle = {}) {
        notified.length = 0;
        delivered = 0;
        const started = performance.now();
        const pollSummary = await poll();
        const polled = performance.now();
        const pumped = await pump.drain((event) => notify(event));
        const notifyMs = performance.now() - polled;
        for (const failed of pumped.failed) {
          log.error("stream record failed after retries (Lambda would send it to the on-failure queue)", {
            sequence: failed.dynamodb?.SequenceNumber,
          });
        }
        const digest = cycle.digest
          ? await sendDigest(config, { stories, ledger, publisher: sink, clock: systemClock, log })
          : undefined;
        return {
          poll: pollSummary,
          notified: [...notified],
          storiesOpened: notified.filter((n) => n.outcome === "opened").length,
          storiesJoined: notified.filter((n) => n.outcome === "joined").length,
          alertsPublished: notified.reduce((total, n) => total + n.sent.length, 0) + (digest?.sent ?? 0),
          messagesDelivered: delivered,
          streamRecords: pumped.records,
          streamFailures: pumped.failed.length,
          pollMs: Math.round(polled - started),
          notifyMs: Math.round(notifyMs),
          ...(digest ? { digest } : {}),
        };
      },
      async stories() {
        const now = new Date();
        const since = new Date(now.getTime() - config.stories.windowHours * 3_600_000);
        return stories.firstSeenBetween(since.toISOString(), now.toISOString(), now.toISOString());
      },
      async storedItems() {
        const rows: Array<StoredItem & { storyId?: string }> = [];
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await doc.send(
            new ScanCommand({
              TableName: LOCAL_TABLE_NAME,
              FilterExpression: "kind = :item",
              ExpressionAttributeValues: { ":item": ITEM_ROW_KIND },
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
            }),
          );
          for (const row of page.Items ?? []) {
            rows.push({
              ...itemFromRow(row),
              ...(typeof row.storyId === "string" ? { storyId: row.storyId } : {}),
            });
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return rows;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The user's config file (with `{{demo}}` standing for the demo server) or the demo catalog. */
export function loadRunConfig(configPath: string | undefined, demoBaseUrl: string): AppConfig {
  if (!configPath) return parseConfig(demoConfig(demoBaseUrl), "demo config");
  return loadConfigFile(configPath, { "{{demo}}": demoBaseUrl });
}

/** Warnings and errors as one readable line each; the rest stays out of the way. */
export function quietLog(print: (text: string) => void, verbose = false): Log {
  const line = (level: string, message: string, extra: Record<string, unknown>[]) => {
    const details = Object.assign({}, ...extra) as Record<string, unknown>;
    const tail = Object.entries(details)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    print(`  ${level} ${message}${tail ? ` (${tail})` : ""}`);
  };
  return {
    debug: (m, ...e) => verbose && line("·", m, e),
    info: (m, ...e) => verbose && line("·", m, e),
    warn: (m, ...e) => verbose && line("!", m, e),
    error: (m, ...e) => line("✗", m, e),
  };
}
