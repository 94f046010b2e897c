// `npm run bench -- load [feeds] [items] [cycles]`: the local pipeline (the `npm start` wiring:
// DynamoDB Local, poll use case, stream pump, notifier, sink) over generated feeds on a loopback
// server. Cycle 1 finds every item new; each later cycle changes 10 % of the feeds (new items, one
// of them relevant), except the last, which changes none. Prints per cycle: time, items/s,
// DynamoDB requests (item writes, feed-state writes), alerts delivered vs expected, peak RSS.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ROW_PREFIX } from "#shared/table.ts";
import { startLocalPipeline } from "./local-pipeline.ts";

const DEFAULT_FEEDS = 500;
const DEFAULT_ITEMS = 50;
const DEFAULT_CYCLES = 4;
/** Share of feeds that change in each middle cycle. */
const CHANGING_SHARE = 0.1;
/** New items a changed feed carries (one relevant). */
const NEW_ITEMS_PER_CHANGE = 5;
/** Relevant reports are this far apart in event time, so each is its own development. */
const DEVELOPMENT_SPACING_MS = 2 * 86_400_000;
const MB = 1024 * 1024;

const RELEVANT = [
  "North Korean troops arrive in Russia's Kursk region|Thousands of Korean People's Army soldiers reached Kursk to fight alongside Russian forces, Kyiv said.",
  "Russia delivers air defence systems to North Korea|Moscow shipped air defence batteries to Pyongyang under the partnership treaty, officials said.",
];
const NOISE = [
  "City council approves budget for road repairs|The district will resurface twelve streets before winter, the mayor said.",
  "Regional orchestra opens its autumn season|The programme includes works by Sibelius and a new commission.",
  "Rail operator adds evening trains on the coast line|Passengers will have two more connections on weekdays from next month.",
];

interface Item {
  id: string;
  title: string;
  summary: string;
  published: Date;
}

interface Counter {
  calls: number;
  itemWrites: number;
  stateWrites: number;
  /** Requests by command ("PutItem", "Query", …): where a cycle's DynamoDB work goes. */
  byCommand: Record<string, number>;
}

export async function benchLoad(args: string[] = []): Promise<Record<string, number>> {
  const feeds = Number(args[0] ?? DEFAULT_FEEDS);
  const perFeed = Number(args[1] ?? DEFAULT_ITEMS);
  const cycles = Math.max(2, Number(args[2] ?? DEFAULT_CYCLES));
  if (![feeds, perFeed, cycles].every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error("Usage: npm run bench -- load [feeds] [items per feed] [cycles]");
  }
  const now = Date.now();
  let developments = 0;
  const relevant = (feed: number, n: number): Item => {
    const [title, summary] = (RELEVANT[developments % RELEVANT.length] ?? "").split("|") as [string, string];
    const published = new Date(now - 3_600_000 - developments++ * DEVELOPMENT_SPACING_MS);
    return { id: `f${feed}-i${n}`, title, summary, published };
  };
  const noise = (feed: number, n: number): Item => {
    const [title, summary] = (NOISE[n % NOISE.length] ?? "").split("|") as [string, string];
    return {
      id: `f${feed}-i${n}`,
      title: `${title} (${feed}/${n})`,
      summary,
      published: new Date(now - n * 60_000),
    };
  };
  // Each feed: its newest item relevant, the rest noise; a change prepends new items.
  const content: Item[][] = Array.from({ length: feeds }, (_, f) => [
    relevant(f, perFeed),
    ...Array.from({ length: perFeed - 1 }, (_, i) => noise(f, perFeed - 1 - i)),
  ]);
  const versions = new Array<number>(feeds).fill(1);
  let expectedAlerts = feeds;

  const server = createServer((req, res) => {
    const f = Number(/^\/feeds\/(\d+)\.xml$/.exec(req.url ?? "")?.[1] ?? Number.NaN);
    const items = content[f];
    if (!items) return res.writeHead(404).end();
    const etag = `"f${f}-v${versions[f]}"`;
    if (req.headers["if-none-match"] === etag) return res.writeHead(304, { etag }).end();
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag }).end(rss(f, items));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const dir = mkdtempSync(join(tmpdir(), "pact-watch-load-"));
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      feeds: Array.from({ length: feeds }, (_, f) => ({
        id: `feed-${f}`,
        url: `${origin}/feeds/${f}.xml`,
        language: "en",
      })),
      subscribers: [{ id: "analyst", protocol: "email", endpoint: "analyst@example.com" }],
      stories: { windowHours: 24 },
      alerts: { maxAgeHours: ((feeds + feeds * cycles) * DEVELOPMENT_SPACING_MS) / 3_600_000 + 48 },
    }),
  );

  const counter: Counter = { calls: 0, itemWrites: 0, stateWrites: 0, byCommand: {} };
  const instrument = (client: DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (input) => {
        counter.calls++;
        const command = (context.commandName ?? "?").replace(/Command$/, "");
        counter.byCommand[command] = (counter.byCommand[command] ?? 0) + 1;
        const request = input.input as {
          Item?: Record<string, unknown>;
          Key?: Record<string, unknown>;
          RequestItems?: Record<string, Array<{ PutRequest?: { Item?: Record<string, unknown> } }>>;
        };
        const puts = [
          ...(request.Item ? [request.Item] : []),
          ...Object.values(request.RequestItems ?? {}).flatMap((list) =>
            Array.isArray(list) ? list.flatMap((r) => (r.PutRequest?.Item ? [r.PutRequest.Item] : [])) : [],
          ),
        ];
        for (const item of puts) {
          const pk = keyText(item.pk);
          if (pk.startsWith(ROW_PREFIX.item)) counter.itemWrites++;
          if (pk.startsWith(ROW_PREFIX.feed)) counter.stateWrites++;
        }
        // Feed states are written as updates (they keep the row's lease columns).
        if (command === "UpdateItem" && request.Key && keyText(request.Key.pk).startsWith(ROW_PREFIX.feed))
          counter.stateWrites++;
        return next(input);
      },
      { step: "initialize", name: "benchCounter" },
    );
  let delivered = 0;
  const pipeline = await startLocalPipeline({
    configPath,
    outboxPath: join(dir, "outbox.jsonl"),
    // On disk, as `npm start -- --data D` keeps it between runs (slower than in memory).
    dataDir: join(dir, "data"),
    print: (text) => {
      if (text.includes("EMAIL to")) delivered++;
    },
    log: { debug() {}, info() {}, warn() {}, error: (m, ...e) => console.error(m, JSON.stringify(e)) },
    instrument,
  });
  console.log(
    `load bench: ${feeds} feeds x ${perFeed} items, ${cycles} cycles, ${CHANGING_SHARE * 100} % changing`,
  );
  const result: Record<string, number> = { feeds, itemsPerFeed: perFeed };
  try {
    let expectedSoFar = 0;
    for (let cycle = 1; cycle <= cycles; cycle++) {
      if (cycle > 1 && cycle < cycles) {
        expectedAlerts = 0;
        for (let f = 0; f < feeds; f++) {
          if ((f + cycle) % Math.round(1 / CHANGING_SHARE) !== 0) continue;
          const n = (content[f]?.length ?? 0) + (versions[f] ?? 1) * NEW_ITEMS_PER_CHANGE;
          const added = [
            relevant(f, n),
            ...Array.from({ length: NEW_ITEMS_PER_CHANGE - 1 }, (_, i) => noise(f, n + 1 + i)),
          ];
          content[f] = [...added, ...(content[f] ?? [])].slice(0, perFeed);
          versions[f] = (versions[f] ?? 1) + 1;
          expectedAlerts++;
        }
      } else if (cycle === cycles) {
        expectedAlerts = 0;
      }
      expectedSoFar += expectedAlerts;
      Object.assign(counter, { calls: 0, itemWrites: 0, stateWrites: 0, byCommand: {} });
      delivered = 0;
      const started = performance.now();
      const summary = await pipeline.runCycle({ digest: false });
      const ms = performance.now() - started;
      const line = {
        cycle,
        ms: Math.round(ms),
        pollMs: summary.pollMs,
        notifyMs: summary.notifyMs,
        itemsSeen: summary.poll.itemsSeen,
        itemsPerSecond: Math.round(summary.poll.itemsSeen / (ms / 1000)),
        stored: summary.poll.itemsStored,
        dynamoRequests: counter.calls,
        itemWrites: counter.itemWrites,
        stateWrites: counter.stateWrites,
        alertsExpected: expectedAlerts,
        alertsDelivered: delivered,
        failedFeeds: summary.poll.failed,
        peakRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
      };
      console.log(
        `cycle ${cycle}: ${(ms / 1000).toFixed(1)} s (poll ${(line.pollMs / 1000).toFixed(1)} s, notify ${(line.notifyMs / 1000).toFixed(1)} s), ${line.itemsSeen} items seen (${line.itemsPerSecond}/s), ` +
          `${line.stored} stored, DynamoDB ${line.dynamoRequests} requests (${line.itemWrites} item writes, ` +
          `${line.stateWrites} state writes), alerts ${line.alertsDelivered}/${line.alertsExpected}, ` +
          `${line.failedFeeds} feeds failed, peak RSS ${line.peakRssMB} MB`,
      );
      console.log(`  DynamoDB requests by command: ${JSON.stringify(counter.byCommand)}`);
      for (const [k, v] of Object.entries(line)) if (k !== "cycle") result[`c${cycle}_${k}`] = v;
    }
    result.alertsExpectedTotal = expectedSoFar;
    result.peakRssMB = Math.round((process.resourceUsage().maxRSS * 1024) / MB);
    return result;
  } finally {
    await pipeline.stop();
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A key as the document client gives it (plain) or as the wire has it ({ S: … }). */
function keyText(value: unknown): string {
  if (typeof value === "string") return value;
  const s = (value as { S?: unknown } | undefined)?.S;
  return typeof s === "string" ? s : "";
}

function rss(feed: number, items: Item[]): string {
  const body = items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>https://feed-${feed}.example/${i.id}</link>` +
        `<guid>https://feed-${feed}.example/${i.id}</guid><description>${i.summary}</description>` +
        `<pubDate>${i.published.toUTCString()}</pubDate></item>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${feed}</title><link>https://feed-${feed}.example/</link><description>load</description>${body}</channel></rss>`;
}
