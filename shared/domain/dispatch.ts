// The dispatcher's plan, pure: which feeds the next poll covers, in which messages, and which feeds
// are overdue. Least recently polled first, so a tail that did not fit last time goes first now;
// one host's feeds in one message, so a host is polled by one worker at a time (politeness).
import * as z from "zod";
import type { AppConfig, FeedConfig } from "../config/schema.ts";

/** What dispatching reads of a config: the feeds and how to poll them (no subscribers). */
export type PollingConfig = Pick<AppConfig, "feeds" | "polling">;

import type { FeedState } from "../ports.ts";
import { parseDuration } from "./duration.ts";
import { isDue, stateForFeed } from "./feed-health.ts";

/** What the dispatcher knows about one feed: its state and the lease columns of its state row. */
export interface FeedSchedule {
  state?: FeedState;
  /** ISO time a worker last took the feed's lease (started polling it). */
  polledAt?: string;
  /** Epoch ms until which a worker holds the feed; past it the lease is free. */
  leaseUntil?: number;
}

/** One SQS message: some feeds of one host, and when the dispatcher sent them. */
export const PollBatchSchema = z
  .object({
    host: z.string().min(1),
    feedIds: z.array(z.string().min(1)).min(1),
    /** ISO; a worker drops a message older than one interval (a newer dispatch covers its feeds). */
    dispatchedAt: z.iso.datetime(),
  })
  .strict();
export type PollBatch = z.infer<typeof PollBatchSchema>;

export interface DispatchPolicy {
  intervalMs: number;
  /** A host with more feeds than this is split into several messages, so one worker finishes in time. */
  maxFeedsPerBatch: number;
}

export interface DispatchPlan {
  batches: PollBatch[];
  /** Feeds sent in the batches, least recently polled first. */
  dispatched: string[];
  /** Held by a worker right now: not sent again. */
  inFlight: string[];
  /** Backing off after failures, or retired. */
  waiting: string[];
  /** Due and not polled for more than OVERDUE_AFTER_INTERVALS since it became due (or never polled). */
  overdue: string[];
  /** Whose last poll failed. */
  failing: string[];
  unhealthy: string[];
}

/**
 * A feed is overdue once it missed a whole tick after becoming due: half an interval of grace
 * covers a worker that polled it late within its tick.
 */
export const OVERDUE_AFTER_INTERVALS = 1.5;

export function planDispatch(
  feeds: FeedConfig[],
  schedules: ReadonlyMap<string, FeedSchedule>,
  now: Date,
  policy: DispatchPolicy,
): DispatchPlan {
  const plan: DispatchPlan = {
    batches: [],
    dispatched: [],
    inFlight: [],
    waiting: [],
    overdue: [],
    failing: [],
    unhealthy: [],
  };
  const due: { feed: FeedConfig; state: FeedState; polledAt: string }[] = [];
  for (const feed of feeds) {
    if (!feed.enabled) continue;
    const schedule = schedules.get(feed.id) ?? {};
    const state = stateForFeed(feed, schedule.state);
    if (state.consecutiveFailures > 0 && state.status !== "retired") plan.failing.push(feed.id);
    if (state.status === "unhealthy") plan.unhealthy.push(feed.id);
    if (!isDue(state, now)) {
      plan.waiting.push(feed.id);
      continue;
    }
    if (schedule.leaseUntil !== undefined && schedule.leaseUntil > now.getTime()) {
      plan.inFlight.push(feed.id);
      continue;
    }
    if (isOverdue(state, schedule.polledAt, now, policy.intervalMs)) plan.overdue.push(feed.id);
    due.push({ feed, state, polledAt: schedule.polledAt ?? "" });
  }

  // Never polled ("") sorts first, then the oldest poll; the id breaks ties so a plan is repeatable.
  due.sort((a, b) =>
    a.polledAt === b.polledAt ? compare(a.feed.id, b.feed.id) : compare(a.polledAt, b.polledAt),
  );
  const open = new Map<string, PollBatch>();
  const dispatchedAt = now.toISOString();
  for (const { feed, state } of due) {
    const host = hostOf(state.url);
    let batch = open.get(host);
    if (!batch || batch.feedIds.length >= policy.maxFeedsPerBatch) {
      batch = { host, feedIds: [], dispatchedAt };
      open.set(host, batch);
      // Batches are listed in the order their oldest feed comes up: the queue serves them so.
      plan.batches.push(batch);
    }
    batch.feedIds.push(feed.id);
    plan.dispatched.push(feed.id);
  }
  return plan;
}

/**
 * Due since its last poll plus one interval, or since its backoff ended, whichever is later; overdue
 * when that is more than half an interval ago. A feed never polled is overdue: if a deploy's first
 * tick cannot reach it, the next one must, and the alarm waits for two periods.
 */
export function isOverdue(
  state: FeedState,
  polledAt: string | undefined,
  now: Date,
  intervalMs: number,
): boolean {
  if (!polledAt) return true;
  const polled = Date.parse(polledAt);
  if (Number.isNaN(polled)) return true;
  const backoffEnds = state.nextAttemptAt ? Date.parse(state.nextAttemptAt) : Number.NaN;
  const dueSince = Math.max(polled + intervalMs, Number.isNaN(backoffEnds) ? 0 : backoffEnds);
  return now.getTime() - dueSince > (OVERDUE_AFTER_INTERVALS - 1) * intervalMs;
}

/** The politeness unit: host and port of the feed's current URL (a 301 may have moved it). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Feeds per message: at HOST_CONCURRENCY at a time and the default 15 s fetch timeout, 25 feeds
 * take at most about 190 s, inside the default 240 s deadline.
 */
export const MAX_FEEDS_PER_BATCH = 25;
/**
 * Poll batches (hosts) one worker invocation polls side by side: an invocation waits on the network
 * for five hosts at once instead of one, a fifth of the billed time; ten feeds in flight fit 256 MB.
 */
export const POLL_BATCHES_PER_INVOCATION = 5;
/** Feeds of one host fetched at once: polite to the host, and a message rarely holds many. */
export const HOST_CONCURRENCY = 2;
/** Lambda's hard ceiling. */
export const MAX_WORKER_TIMEOUT_SECONDS = 900;
/** Time a worker needs after its deadline to finish the feed in flight's state write. */
export const POLL_WRAP_UP_SECONDS = 15;
/**
 * The interval must exceed the worker timeout by this much: a lease (as long as the timeout) taken
 * late in one tick has run out before the next tick's worker asks for it.
 */
export const INTERVAL_MARGIN_SECONDS = 30;

/**
 * The worker stops starting feeds at its deadline; the feed in flight may still take its full
 * fetch timeout, and the state write a moment more. Past that Lambda would kill it mid-write.
 */
export function pollWorkerTimeoutSeconds(config: PollingConfig): number {
  const slowestFeed = Math.max(
    config.polling.timeoutSeconds,
    ...config.feeds.map((feed) => feed.timeoutSeconds ?? 0),
  );
  const seconds = Math.ceil(config.polling.deadlineSeconds + slowestFeed + POLL_WRAP_UP_SECONDS);
  return Math.min(seconds, MAX_WORKER_TIMEOUT_SECONDS);
}

/** Why `polling.every` is too short for the worker timeout, or undefined when it is long enough. */
export function intervalProblem(config: PollingConfig): string | undefined {
  const intervalMs = parseDuration(config.polling.every);
  if (intervalMs === undefined) return undefined;
  const timeout = pollWorkerTimeoutSeconds(config);
  const needed = timeout + INTERVAL_MARGIN_SECONDS;
  if (intervalMs >= needed * 1000) return undefined;
  return (
    `"${config.polling.every}" is shorter than the poll worker's timeout (${timeout} s: deadlineSeconds ` +
    `${config.polling.deadlineSeconds} + the slowest feed timeout + ${POLL_WRAP_UP_SECONDS} s) plus a ` +
    `${INTERVAL_MARGIN_SECONDS} s margin, so two polls of one feed could overlap; poll every ` +
    `${Math.ceil(needed / 60)} minutes or more, or lower polling.deadlineSeconds`
  );
}

/** The dispatcher's policy for a config. */
export function dispatchPolicyFor(config: PollingConfig): DispatchPolicy {
  const intervalMs = parseDuration(config.polling.every);
  if (intervalMs === undefined) throw new Error(`polling.every "${config.polling.every}" is not a duration`);
  return { intervalMs, maxFeedsPerBatch: MAX_FEEDS_PER_BATCH };
}
