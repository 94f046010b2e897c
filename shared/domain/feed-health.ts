// What one poll's outcome means for a feed's future: validators to send next time, when to try
// again after failures, when to call the feed unhealthy, when to stop. Pure.
import type { FeedConfig } from "../config/schema.ts";
import { type FeedState, initialFeedState, type ReadOutcome } from "../ports.ts";

export interface HealthPolicy {
  /** Wait after the first failure; doubles with each further one. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** A server's Retry-After is honoured up to this, so one header cannot park a feed for months. */
  maxRetryAfterMs: number;
  unhealthyAfterFailures: number;
  /** Failing and without a success for this long is unhealthy too. */
  unhealthyAfterMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  baseBackoffMs: 5 * MINUTE,
  maxBackoffMs: 6 * HOUR,
  maxRetryAfterMs: 24 * HOUR,
  unhealthyAfterFailures: 5,
  unhealthyAfterMs: 24 * HOUR,
};

export function nextFeedState(
  state: FeedState,
  outcome: ReadOutcome,
  now: Date,
  policy: HealthPolicy = DEFAULT_HEALTH_POLICY,
): FeedState {
  const base: FeedState = {
    feedId: state.feedId,
    url: state.url,
    configuredUrl: state.configuredUrl,
    consecutiveFailures: state.consecutiveFailures,
    status: state.status,
    ...optional("etag", state.etag),
    ...optional("lastModified", state.lastModified),
    ...optional("lastSuccessAt", state.lastSuccessAt),
    ...optional("contentHash", state.contentHash),
  };

  switch (outcome.kind) {
    case "items":
      // The response's validators replace the old ones, even by nothing: stale ones would only
      // make the server answer 304 for content we never saw.
      return {
        ...withoutValidators(base),
        url: outcome.movedTo ?? state.url,
        ...optional("etag", outcome.etag),
        ...optional("lastModified", outcome.lastModified),
        ...optional("contentHash", outcome.contentHash),
        consecutiveFailures: 0,
        lastSuccessAt: now.toISOString(),
        status: "active",
      };
    case "not-modified":
      // Nothing new: the state stays as it was (so it need not be written) unless this ends a
      // failure streak or the server moved the feed or changed its validators.
      return {
        ...base,
        url: outcome.movedTo ?? state.url,
        ...optional("etag", outcome.etag ?? state.etag),
        ...optional("lastModified", outcome.lastModified ?? state.lastModified),
        consecutiveFailures: 0,
        ...optional(
          "lastSuccessAt",
          state.consecutiveFailures > 0 || !state.lastSuccessAt ? now.toISOString() : state.lastSuccessAt,
        ),
        status: "active",
      };
    case "gone":
      return {
        ...base,
        ...optional("failingSince", state.failingSince),
        consecutiveFailures: state.consecutiveFailures + 1,
        lastError: `gone: HTTP ${outcome.status}, the feed was removed for good`,
        status: "retired",
      };
    case "failed": {
      const failures = state.consecutiveFailures + 1;
      const backoff = backoffMs(failures, policy);
      const retryAfter = Math.min(outcome.retryAfterMs ?? 0, policy.maxRetryAfterMs);
      const wait = Math.max(backoff, retryAfter);
      const failingSince =
        state.consecutiveFailures > 0 ? (state.failingSince ?? state.lastSuccessAt) : now.toISOString();
      return {
        ...base,
        ...optional("failingSince", failingSince),
        consecutiveFailures: failures,
        nextAttemptAt: new Date(now.getTime() + wait).toISOString(),
        lastError: `${outcome.reason}: ${outcome.message}`,
        status:
          state.status === "retired"
            ? "retired"
            : isUnhealthy(failures, failingSince, now, policy)
              ? "unhealthy"
              : "active",
      };
    }
  }
}

/** Capped exponential backoff: base, 2×base, 4×base, … up to the cap. */
export function backoffMs(consecutiveFailures: number, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): number {
  if (consecutiveFailures <= 0) return 0;
  const doublings = Math.min(consecutiveFailures - 1, 30);
  return Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** doublings);
}

/** Too many failures in a row, or failing for too long (counted from the streak's first failure). */
function isUnhealthy(
  failures: number,
  failingSince: string | undefined,
  now: Date,
  policy: HealthPolicy,
): boolean {
  if (failures >= policy.unhealthyAfterFailures) return true;
  if (!failingSince) return false;
  return now.getTime() - Date.parse(failingSince) >= policy.unhealthyAfterMs;
}

/**
 * Whether a poll changed the feed's state, i.e. whether it must be written. An unchanged feed
 * (304, or the same items again) leaves the state as it was and costs no write.
 */
export function feedStateChanged(before: FeedState, after: FeedState): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof FeedState>;
  for (const key of keys) if (before[key] !== after[key]) return true;
  return false;
}

/** Whether the feed should be fetched now: never when retired, otherwise once its backoff is over. */
export function isDue(state: FeedState, now: Date): boolean {
  if (state.status === "retired") return false;
  if (!state.nextAttemptAt) return true;
  const next = Date.parse(state.nextAttemptAt);
  return Number.isNaN(next) || next <= now.getTime();
}

/**
 * The state to poll a feed with: the stored one, unless there is none or the feed's configured
 * URL changed since it was stored (then a moved URL, validators and failures no longer apply).
 */
export function stateForFeed(feed: Pick<FeedConfig, "id" | "url">, stored: FeedState | undefined): FeedState {
  return stored && stored.configuredUrl === feed.url ? stored : initialFeedState(feed);
}

function withoutValidators(state: FeedState): FeedState {
  const { etag: _etag, lastModified: _lastModified, ...rest } = state;
  return rest;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
