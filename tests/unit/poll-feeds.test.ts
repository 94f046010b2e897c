import { describe, expect, it } from "vitest";
import { pollFeeds } from "#functions/poll-feeds/poll-feeds.ts";
import { parseConfig } from "#shared/config/schema.ts";
import { createMatcher } from "#shared/domain/match/index.ts";
import type { NewsItem } from "#shared/domain/types.ts";
import type { FeedReader, FeedState, FeedStateStore, ItemStore, ReadOutcome } from "#shared/ports.ts";

const NOW = new Date("2026-11-28T12:00:00Z");
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const matcher = createMatcher();

function config(feedIds: string[], extra: Record<string, unknown> = {}) {
  return parseConfig({ feeds: feedIds.map((id) => ({ id, url: `https://${id}.example/rss` })), ...extra });
}

function item(feedId: string, id: string, title: string): NewsItem {
  return { id, feedId, title, summary: "", language: "en", link: `https://${feedId}.example/${id}` };
}

const RELEVANT = "North Korean troops arrive in Russia's Kursk region";
const IRRELEVANT = "Kim Kardashian launches a new fragrance";

function memoryStates(initial: FeedState[] = []): FeedStateStore & { saved: Map<string, FeedState> } {
  const saved = new Map(initial.map((s) => [s.feedId, s]));
  return {
    saved,
    async getAll(ids) {
      return new Map(ids.flatMap((id) => (saved.has(id) ? [[id, saved.get(id) as FeedState]] : [])));
    },
    async put(state) {
      saved.set(state.feedId, state);
    },
  };
}

function memoryItems(failOn?: string): ItemStore & { ids: Set<string> } {
  const ids = new Set<string>();
  return {
    ids,
    async putIfNew(stored) {
      if (stored.id === failOn) throw new Error("DynamoDB is unavailable");
      if (ids.has(stored.id)) return false;
      ids.add(stored.id);
      return true;
    },
  };
}

function readerOf(outcomes: Record<string, ReadOutcome | (() => Promise<ReadOutcome>)>): FeedReader {
  return {
    async read(feed) {
      const outcome = outcomes[feed.id];
      if (!outcome) throw new Error(`no outcome for ${feed.id}`);
      return typeof outcome === "function" ? outcome() : outcome;
    },
  };
}

describe("pollFeeds", () => {
  it("stores only relevant items, once, and remembers each feed's validators", async () => {
    const states = memoryStates();
    const items = memoryItems();
    const reader = readerOf({
      a: {
        kind: "items",
        items: [item("a", "1", RELEVANT), item("a", "2", IRRELEVANT)],
        dropped: 1,
        bytes: 100,
        etag: '"v1"',
      },
    });
    const deps = { reader, states, items, matcher, clock: { now: () => NOW }, log: silent };

    const first = await pollFeeds(config(["a"]), deps);
    const second = await pollFeeds(config(["a"]), deps, { ignoreSchedule: true });

    expect(first).toMatchObject({
      polled: 1,
      itemsSeen: 2,
      itemsMatched: 1,
      itemsStored: 1,
      itemsDropped: 1,
    });
    expect(second.itemsStored).toBe(0);
    expect([...items.ids]).toEqual(["1"]);
    expect(states.saved.get("a")?.etag).toBe('"v1"');
  });

  it("stores a degraded feed's items and logs why it was degraded", async () => {
    const warnings: [string, Record<string, unknown>][] = [];
    const log = {
      ...silent,
      warn: (message: string, fields: Record<string, unknown>) => warnings.push([message, fields]),
    };
    const items = memoryItems();
    const reader = readerOf({
      a: {
        kind: "items",
        items: [item("a", "1", RELEVANT)],
        dropped: 0,
        bytes: 10,
        degraded: { reason: "malformed-xml", message: "Malformed XML: Unclosed root tag (read leniently)" },
      },
    });

    await pollFeeds(config(["a"]), {
      reader,
      states: memoryStates(),
      items,
      matcher,
      clock: { now: () => NOW },
      log,
    });

    expect([...items.ids]).toEqual(["1"]);
    expect(warnings).toEqual([
      [
        "feed degraded",
        { feedId: "a", reason: "malformed-xml", detail: expect.stringContaining("Unclosed root") },
      ],
    ]);
  });

  it("writes no item and no state for a feed that did not change (304, or the same items in full)", async () => {
    const states = memoryStates();
    const items = memoryItems();
    const writes = { items: 0, states: 0 };
    const counted = {
      reader: readerOf({
        etagged: {
          kind: "items",
          items: [item("etagged", "e1", RELEVANT)],
          dropped: 0,
          bytes: 10,
          etag: '"v1"',
        },
        plain: {
          kind: "items",
          items: [item("plain", "p1", RELEVANT)],
          dropped: 0,
          bytes: 10,
          contentHash: "h1",
        },
      }),
      states: {
        ...states,
        put: (state: FeedState) => {
          writes.states++;
          return states.put(state);
        },
      },
      items: {
        putIfNew: (i: Parameters<ItemStore["putIfNew"]>[0], e: number) => {
          writes.items++;
          return items.putIfNew(i, e);
        },
      },
      matcher,
      clock: { now: () => NOW },
      log: silent,
    };
    await pollFeeds(config(["etagged", "plain"]), counted);
    expect(writes).toEqual({ items: 2, states: 2 });

    const later = { now: () => new Date(NOW.getTime() + 300_000) };
    const unchanged = readerOf({
      etagged: { kind: "not-modified", etag: '"v1"' },
      plain: {
        kind: "items",
        items: [item("plain", "p1", RELEVANT)],
        dropped: 0,
        bytes: 10,
        contentHash: "h1",
      },
    });
    const again = await pollFeeds(config(["etagged", "plain"]), {
      ...counted,
      reader: unchanged,
      clock: later,
    });

    expect(again.feeds.map((f) => f.result)).toEqual(["not-modified", "not-modified"]);
    expect(writes).toEqual({ items: 2, states: 2 });
    // New items in the same feed are matched and stored again, and the new hash is kept.
    const changed = readerOf({
      etagged: { kind: "not-modified", etag: '"v1"' },
      plain: {
        kind: "items",
        items: [item("plain", "p2", RELEVANT), item("plain", "p1", RELEVANT)],
        dropped: 0,
        bytes: 20,
        contentHash: "h2",
      },
    });
    const third = await pollFeeds(config(["etagged", "plain"]), {
      ...counted,
      reader: changed,
      clock: later,
    });
    expect(third.itemsStored).toBe(1);
    expect(states.saved.get("plain")?.contentHash).toBe("h2");
  });

  it("keeps a feed's state when its matches cannot be stored, so the next run fetches them again", async () => {
    const states = memoryStates();
    const reader = readerOf({
      a: { kind: "items", items: [item("a", "1", RELEVANT)], dropped: 0, bytes: 10, etag: '"v2"' },
    });

    const summary = await pollFeeds(config(["a"]), {
      reader,
      states,
      items: memoryItems("1"),
      matcher,
      clock: { now: () => NOW },
      log: silent,
    });

    expect(summary.storeFailures).toBe(1);
    expect(summary.feeds[0]?.result).toBe("store-failed");
    expect(states.saved.has("a")).toBe(false);
  });

  it("isolates a failing or throwing feed and backs it off, while the others are delivered", async () => {
    const states = memoryStates();
    const items = memoryItems();
    const reader = readerOf({
      broken: { kind: "failed", reason: "http-500", message: "HTTP 500" },
      buggy: async () => {
        throw new Error("bug in a parser");
      },
      good: { kind: "items", items: [item("good", "g1", RELEVANT)], dropped: 0, bytes: 10 },
    });

    const summary = await pollFeeds(config(["broken", "buggy", "good"]), {
      reader,
      states,
      items,
      matcher,
      clock: { now: () => NOW },
      log: silent,
    });

    expect(summary.failed).toBe(2);
    expect(summary.itemsStored).toBe(1);
    expect(states.saved.get("broken")?.consecutiveFailures).toBe(1);
    expect(Date.parse(states.saved.get("broken")?.nextAttemptAt ?? "")).toBeGreaterThan(NOW.getTime());
    expect(summary.feeds.find((f) => f.feedId === "buggy")?.error).toContain("internal-error");
  });

  it("skips feeds that are backing off or retired unless asked to poll everything", async () => {
    const later = new Date(NOW.getTime() + 3_600_000).toISOString();
    const states = memoryStates([
      {
        feedId: "waiting",
        url: "https://waiting.example/rss",
        configuredUrl: "https://waiting.example/rss",
        consecutiveFailures: 3,
        nextAttemptAt: later,
        status: "active",
      },
      {
        feedId: "retired",
        url: "https://retired.example/rss",
        configuredUrl: "https://retired.example/rss",
        consecutiveFailures: 0,
        status: "retired",
      },
    ]);
    const reader = readerOf({ waiting: { kind: "not-modified" }, retired: { kind: "not-modified" } });
    const deps = { reader, states, items: memoryItems(), matcher, clock: { now: () => NOW }, log: silent };

    const scheduled = await pollFeeds(config(["waiting", "retired"]), deps);
    const manual = await pollFeeds(config(["waiting", "retired"]), deps, { ignoreSchedule: true });

    expect(scheduled.feeds.map((f) => f.result).sort()).toEqual(["not-due", "retired"]);
    expect(manual.feeds.map((f) => f.result).sort()).toEqual(["not-modified", "retired"]);
  });

  it("leaves feeds not started by the deadline for the next run", async () => {
    let now = NOW.getTime();
    const slow = async (): Promise<ReadOutcome> => {
      now += 10_000;
      return { kind: "not-modified" };
    };
    const reader = readerOf({ a: slow, b: slow, c: slow });

    const summary = await pollFeeds(
      config(["a", "b", "c"], { polling: { concurrency: 1, deadlineSeconds: 15 } }),
      {
        reader,
        states: memoryStates(),
        items: memoryItems(),
        matcher,
        clock: { now: () => new Date(now) },
        log: silent,
      },
    );

    expect(summary.feeds.map((f) => f.result)).toEqual(["not-modified", "not-modified", "deferred"]);
    expect(summary.deferred).toBe(1);
  });
});
