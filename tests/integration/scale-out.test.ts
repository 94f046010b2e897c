// 5,000 loopback feeds through the dispatcher, a local stand-in for the SQS queue and the poll
// workers: least recently polled first, so with room for only about half the feeds per interval
// every feed is still polled within two intervals, and the leases keep any feed from being polled
// twice at once although the schedule fires twice and the queue delivers some messages twice.
// Feed state lives in memory here (tests/support/memory-stores.ts): 5,000 feeds over several ticks
// are some 30,000 conditional writes, minutes on DynamoDB Local; the lease adapter itself runs on
// DynamoDB Local in feed-leases.test.ts, through the same cases as the memory one.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchFeeds } from "#functions/dispatch-feeds/dispatch-feeds.ts";
import type { BatchOutcome } from "#functions/poll-feeds/poll-batch.ts";
import { createQueueHandler } from "#functions/poll-feeds/queue-handler.ts";
import { LOOPBACK_ALLOWED } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { parseConfig } from "#shared/config/schema.ts";
import {
  dispatchPolicyFor,
  HOST_CONCURRENCY,
  POLL_BATCHES_PER_INVOCATION,
  pollWorkerTimeoutSeconds,
} from "#shared/domain/dispatch.ts";
import { createMatcher } from "#shared/domain/match/index.ts";
import { createLocalQueue } from "../support/local-queue.ts";
import { createMemoryFeedStore, createMemoryItemStore } from "../support/memory-stores.ts";

const HOSTS = 50;
const FEEDS_PER_HOST = 100;
const FEEDS = HOSTS * FEEDS_PER_HOST;
const TICKS = 4;
/** Worker invocations at once: the event source mapping's maxConcurrency (the default polling.workers). */
const MAX_CONCURRENCY = 10;
/** Messages the workers get through per tick in each of its two halves: room for about half the feeds. */
const MESSAGES_PER_HALF_TICK = 60;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface FeedHits {
  ticks: number[];
  inFlight: number;
  maxInFlight: number;
}

let tick = 0;
const hits = new Map<string, FeedHits>();
const servers: Server[] = [];
const origins: string[] = [];

function hitsOf(key: string): FeedHits {
  let found = hits.get(key);
  if (!found) {
    found = { ticks: [], inFlight: 0, maxInFlight: 0 };
    hits.set(key, found);
  }
  return found;
}

beforeAll(async () => {
  for (let h = 0; h < HOSTS; h++) {
    const server = createServer((req, res) => {
      const key = `${h}${req.url}`;
      const feed = hitsOf(key);
      feed.ticks.push(tick);
      feed.inFlight++;
      feed.maxInFlight = Math.max(feed.maxInFlight, feed.inFlight);
      // A little latency so workers overlap on the wire, as they would on the internet.
      setTimeout(() => {
        feed.inFlight--;
        if (req.headers["if-none-match"] === '"v1"') {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/rss+xml", etag: '"v1"' });
        res.end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>${key}</title><link>http://x.test/</link>` +
            `<item><title>Harvest festival in ${key}</title><link>http://x.test${req.url}/1</link>` +
            `<guid>${key}-1</guid></item></channel></rss>`,
        );
      }, 2);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    origins.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("5,000 feeds through dispatcher, queue and workers", () => {
  it("polls every feed within two intervals and never one feed twice at once", {
    timeout: 180_000,
  }, async () => {
    const config = parseConfig({
      feeds: Array.from({ length: FEEDS }, (_, i) => ({
        id: `f${i}`,
        url: `${origins[i % HOSTS]}/feed/${i}`,
      })),
      polling: { every: "5 minutes", concurrency: 8 },
    });
    const policy = dispatchPolicyFor(config);
    const store = createMemoryFeedStore();
    const start = Date.parse("2026-12-07T00:00:00Z");
    let now = new Date(start);
    const clock = { now: () => now };
    const queue = createLocalQueue({ duplicateEvery: 10, retentionMs: policy.intervalMs });
    const outcomes: BatchOutcome[] = [];
    const handler = createQueueHandler(
      config,
      {
        reader: createFeedReader({ addressPolicy: LOOPBACK_ALLOWED }),
        states: store.states,
        items: createMemoryItemStore(),
        leases: store.leases,
        matcher: createMatcher(),
        clock,
        log: silent,
      },
      {
        leaseMs: pollWorkerTimeoutSeconds(config) * 1000,
        intervalMs: policy.intervalMs,
        hostConcurrency: HOST_CONCURRENCY,
      },
      (outcome) => outcomes.push(outcome),
    );
    const dispatch = () => dispatchFeeds(config, { leases: store.leases, queue, clock, log: silent }, policy);
    const keyOf = (i: number) => `${i % HOSTS}/feed/${i}`;
    const lastTickOf = (i: number) => hits.get(keyOf(i))?.ticks.at(-1);
    const overdueCounts: { reported: number; expected: number }[] = [];

    for (tick = 1; tick <= TICKS; tick++) {
      now = new Date(start + (tick - 1) * policy.intervalMs);
      queue.expire(now);
      // What the dispatcher should call overdue: never polled, or last polled two ticks ago or more.
      const expected = Array.from({ length: FEEDS }, (_, i) => lastTickOf(i)).filter(
        (last) => last === undefined || tick - last >= 2,
      ).length;
      const plan = await dispatch();
      overdueCounts.push({ reported: plan.overdue.length, expected });
      await queue.drain(handler, {
        maxConcurrency: MAX_CONCURRENCY,
        batchSize: POLL_BATCHES_PER_INVOCATION,
        limit: MESSAGES_PER_HALF_TICK,
      });
      // The schedule fires again (at-least-once): feeds in flight are not sent twice.
      const again = await dispatch();
      expect(again.inFlight.length).toBeGreaterThan(0);
      await queue.drain(handler, {
        maxConcurrency: MAX_CONCURRENCY,
        batchSize: POLL_BATCHES_PER_INVOCATION,
        limit: MESSAGES_PER_HALF_TICK,
      });
    }

    const perFeed = Array.from({ length: FEEDS }, (_, i) => hits.get(keyOf(i))?.ticks ?? []);
    // Every feed polled in the first two intervals, and never more than two intervals apart after.
    const late = perFeed.filter((ticks) => ticks.length === 0 || (ticks[0] ?? 0) > 2);
    expect(late.length).toBe(0);
    const gaps = perFeed.flatMap((ticks) => ticks.slice(1).map((t, k) => t - (ticks[k] ?? 0)));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2);
    const lastGaps = perFeed.map((ticks) => TICKS + 1 - (ticks.at(-1) ?? 0));
    expect(Math.max(...lastGaps)).toBeLessThanOrEqual(2);
    // None twice at once, none twice in one interval, although copies of messages met.
    expect(Math.max(...[...hits.values()].map((h) => h.maxInFlight))).toBe(1);
    expect(perFeed.every((ticks) => new Set(ticks).size === ticks.length)).toBe(true);
    const heldElsewhere = outcomes.reduce(
      (n, o) => n + (o.kind === "polled" ? o.heldElsewhere.length : 0),
      0,
    );
    expect(heldElsewhere).toBeGreaterThan(0);
    // Room for about half the feeds per interval: the test does exercise the line.
    const polls = perFeed.reduce((n, ticks) => n + ticks.length, 0);
    expect(polls).toBeLessThan(FEEDS * TICKS * 0.75);
    // The overdue metric counts exactly the feeds that missed a tick.
    for (const { reported, expected } of overdueCounts) expect(reported).toBe(expected);
    expect(overdueCounts.at(-1)?.reported).toBeGreaterThan(0);
    console.log(
      `scale-out: ${FEEDS} feeds, ${TICKS} intervals, ${polls} polls, overdue per tick ${overdueCounts
        .map((c) => c.reported)
        .join("/")}, copies skipped by lease ${heldElsewhere}`,
    );
  });
});
