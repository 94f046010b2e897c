// Use case: poll every due feed, match its items and store the matches (the outbox insert).
// Called by the poll-feeds Lambda handler and by the local run; it knows ports, not AWS.

import pLimit from "p-limit";
import type { AppConfig, FeedConfig } from "#shared/config/schema.ts";
import { feedStateChanged, isDue, nextFeedState, stateForFeed } from "#shared/domain/feed-health.ts";
import { storedOutlet } from "#shared/domain/outlet.ts";
import type { Matcher, NewsItem, StoredItem } from "#shared/domain/types.ts";
import type {
  Clock,
  FeedReader,
  FeedState,
  FeedStateStore,
  ItemStore,
  Log,
  ReadOutcome,
} from "#shared/ports.ts";
import { readOptionsFor } from "#shared/ports.ts";

/** A feed's matches written at once: enough to hide round trips, few enough not to throttle. */
const ITEM_WRITE_CONCURRENCY = 10;

export interface PollDependencies {
  reader: FeedReader;
  states: FeedStateStore;
  items: ItemStore;
  matcher: Matcher;
  clock: Clock;
  log: Log;
}

export type FeedResult =
  | "new-items"
  | "no-new-items"
  | "not-modified"
  | "failed"
  | "gone"
  | "not-due"
  | "retired"
  | "deferred"
  | "store-failed";

export interface FeedReport {
  feedId: string;
  result: FeedResult;
  seen: number;
  matched: number;
  stored: number;
  dropped: number;
  /** For failures: the reader's reason and message. */
  error?: string;
  status: FeedState["status"];
  ms: number;
}

export interface PollSummary {
  feeds: FeedReport[];
  polled: number;
  failed: number;
  skipped: number;
  deferred: number;
  itemsSeen: number;
  itemsMatched: number;
  itemsStored: number;
  itemsDropped: number;
  /** Feeds whose matches could not be stored; the handler fails the run so it is retried and alarmed. */
  storeFailures: number;
}

export interface PollOptions {
  /** Called as each feed finishes, for progress output. */
  onFeed?: (report: FeedReport) => void;
  /** Poll even feeds that are backing off (manual runs). */
  ignoreSchedule?: boolean;
}

export async function pollFeeds(
  config: AppConfig,
  deps: PollDependencies,
  options: PollOptions = {},
): Promise<PollSummary> {
  const started = deps.clock.now().getTime();
  const deadline = started + config.polling.deadlineSeconds * 1000;
  const feeds = config.feeds.filter((f) => f.enabled);
  const stored = await deps.states.getAll(feeds.map((f) => f.id));
  const limit = pLimit(config.polling.concurrency);

  const reports = await Promise.all(
    feeds.map((feed) =>
      limit(async () => {
        const report = await pollOne(feed, stateForFeed(feed, stored.get(feed.id)), config, deps, {
          deadline,
          ignoreSchedule: options.ignoreSchedule ?? false,
        });
        options.onFeed?.(report);
        return report;
      }),
    ),
  );
  return summarize(reports);
}

async function pollOne(
  feed: FeedConfig,
  state: FeedState,
  config: AppConfig,
  deps: PollDependencies,
  run: { deadline: number; ignoreSchedule: boolean },
): Promise<FeedReport> {
  const started = deps.clock.now();
  const report = (result: FeedResult, extra: Partial<FeedReport> = {}): FeedReport => ({
    feedId: feed.id,
    result,
    seen: 0,
    matched: 0,
    stored: 0,
    dropped: 0,
    status: state.status,
    ms: deps.clock.now().getTime() - started.getTime(),
    ...extra,
  });

  if (state.status === "retired") return report("retired");
  if (!run.ignoreSchedule && !isDue(state, started)) return report("not-due");
  // Feeds not started before the deadline wait for the next scheduled run instead of overrunning it.
  if (started.getTime() >= run.deadline) return report("deferred");

  const outcome = unchangedAsNotModified(await readSafely(feed, state, config, deps), state);
  if (outcome.kind !== "items") {
    const next = nextFeedState(state, outcome, deps.clock.now());
    if (feedStateChanged(state, next)) await deps.states.put(next);
    if (outcome.kind === "failed") {
      deps.log.warn("feed failed", {
        feedId: feed.id,
        reason: outcome.reason,
        detail: outcome.message,
        consecutiveFailures: next.consecutiveFailures,
        status: next.status,
        nextAttemptAt: next.nextAttemptAt,
      });
      if (next.status === "unhealthy" && state.status !== "unhealthy") {
        deps.log.error("feed unhealthy", { feedId: feed.id, since: next.lastSuccessAt ?? "never" });
      }
      return report("failed", { error: `${outcome.reason}: ${outcome.message}`, status: next.status });
    }
    if (outcome.kind === "gone") {
      deps.log.warn("feed gone, retired", { feedId: feed.id, httpStatus: outcome.status });
      return report("gone", { status: next.status });
    }
    return report("not-modified", { status: next.status });
  }

  const now = deps.clock.now();
  const expiresAt = Math.floor(now.getTime() / 1000) + config.retentionDays * 86_400;
  let matched = 0;
  let storedCount = 0;
  try {
    const matches = outcome.items.flatMap((item) => {
      const match = deps.matcher.match(item);
      return match.relevant ? [toStoredItem(item, feed, match, now)] : [];
    });
    matched = matches.length;
    // The feed's matches are written together; each write is conditional on its own, and the state
    // below waits for all of them.
    const write = pLimit(ITEM_WRITE_CONCURRENCY);
    const inserted = await Promise.allSettled(
      matches.map((item) => write(() => deps.items.putIfNew(item, expiresAt))),
    );
    storedCount = inserted.filter((r) => r.status === "fulfilled" && r.value).length;
    const failed = inserted.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  } catch (err) {
    // Our storage failed, not the feed: keep its state (and validators) so the next run fetches the
    // same items again, and do not count it against the feed's health.
    deps.log.error("storing matches failed", { feedId: feed.id, error: String(err) });
    return report("store-failed", {
      seen: outcome.items.length,
      matched,
      stored: storedCount,
      error: String(err),
    });
  }
  // The feed's validators advance only after every match is stored: a failed write above throws,
  // the state stays, and the next run fetches the same items again instead of losing them.
  const next = nextFeedState(state, outcome, deps.clock.now());
  if (feedStateChanged(state, next)) await deps.states.put(next);
  if (outcome.movedTo) deps.log.info("feed moved permanently", { feedId: feed.id, url: outcome.movedTo });
  // Malformed XML read leniently: the items are kept, and the publisher's breakage is on record.
  if (outcome.degraded)
    deps.log.warn("feed degraded", {
      feedId: feed.id,
      reason: outcome.degraded.reason,
      detail: outcome.degraded.message,
    });
  deps.log.info("feed polled", {
    feedId: feed.id,
    seen: outcome.items.length,
    matched,
    stored: storedCount,
    dropped: outcome.dropped,
    bytes: outcome.bytes,
  });
  return report(storedCount > 0 ? "new-items" : "no-new-items", {
    seen: outcome.items.length,
    matched,
    stored: storedCount,
    dropped: outcome.dropped,
    status: next.status,
  });
}

/**
 * The very items stored last time, served again in full (a server without validators, or one that
 * ignores them): nothing to match or write, as if it had answered 304.
 */
function unchangedAsNotModified(outcome: ReadOutcome, state: FeedState): ReadOutcome {
  if (outcome.kind !== "items" || !outcome.contentHash || outcome.contentHash !== state.contentHash) {
    return outcome;
  }
  return {
    kind: "not-modified",
    ...(outcome.etag ? { etag: outcome.etag } : {}),
    ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}),
    ...(outcome.movedTo ? { movedTo: outcome.movedTo } : {}),
  };
}

/** The reader promises not to throw; a bug in it must still not take other feeds down. */
async function readSafely(
  feed: FeedConfig,
  state: FeedState,
  config: AppConfig,
  deps: PollDependencies,
): Promise<ReadOutcome> {
  try {
    return await deps.reader.read(feed, state, readOptionsFor(feed, config.polling));
  } catch (err) {
    deps.log.error("feed reader threw", { feedId: feed.id, error: String(err) });
    return { kind: "failed", reason: "internal-error", message: (err as Error).message ?? String(err) };
  }
}

function toStoredItem(item: NewsItem, feed: FeedConfig, match: StoredItem["match"], now: Date): StoredItem {
  return {
    ...item,
    match,
    // An aggregated item (news search) is reported by its own outlet, not by the search feed.
    ...storedOutlet(item, feed),
    official: feed.official,
    seenAt: now.toISOString(),
  };
}

function summarize(feeds: FeedReport[]): PollSummary {
  const polled = feeds.filter((f) => !["not-due", "retired", "deferred"].includes(f.result));
  return {
    feeds,
    polled: polled.length,
    failed: feeds.filter((f) => f.result === "failed" || f.result === "gone").length,
    skipped: feeds.filter((f) => f.result === "not-due" || f.result === "retired").length,
    deferred: feeds.filter((f) => f.result === "deferred").length,
    itemsSeen: sum(feeds, (f) => f.seen),
    itemsMatched: sum(feeds, (f) => f.matched),
    itemsStored: sum(feeds, (f) => f.stored),
    itemsDropped: sum(feeds, (f) => f.dropped),
    storeFailures: feeds.filter((f) => f.result === "store-failed").length,
  };
}

function sum(list: FeedReport[], pick: (f: FeedReport) => number): number {
  return list.reduce((total, f) => total + pick(f), 0);
}
