import { describe, expect, it } from "vitest";
import {
  backoffMs,
  DEFAULT_HEALTH_POLICY,
  feedStateChanged,
  isDue,
  nextFeedState,
  stateForFeed,
} from "#shared/domain/feed-health.ts";
import { type FeedState, initialFeedState, type ReadOutcome } from "#shared/ports.ts";

const NOW = new Date("2026-11-28T12:00:00.000Z");
const MINUTE = 60_000;
const FEED = { id: "kcna", url: "https://kcna.example/rss" };

const failed = (extra: Partial<Extract<ReadOutcome, { kind: "failed" }>> = {}): ReadOutcome => ({
  kind: "failed",
  reason: "http-500",
  message: "HTTP 500",
  ...extra,
});
const itemsOutcome = (extra: Partial<Extract<ReadOutcome, { kind: "items" }>> = {}): ReadOutcome => ({
  kind: "items",
  items: [],
  dropped: 0,
  bytes: 10,
  ...extra,
});

function failTimes(times: number, start: FeedState = initialFeedState(FEED), now = NOW): FeedState {
  let state = start;
  for (let i = 0; i < times; i++) state = nextFeedState(state, failed(), now);
  return state;
}

describe("nextFeedState", () => {
  it("on success resets failures, stores validators and the success time", () => {
    // Prepare
    const failing = failTimes(3);
    // Act
    const next = nextFeedState(
      failing,
      itemsOutcome({ etag: '"e1"', lastModified: "Wed, 19 Jun 2024 10:00:00 GMT" }),
      NOW,
    );
    // Assess
    expect(next).toEqual({
      feedId: "kcna",
      url: FEED.url,
      configuredUrl: FEED.url,
      consecutiveFailures: 0,
      etag: '"e1"',
      lastModified: "Wed, 19 Jun 2024 10:00:00 GMT",
      lastSuccessAt: NOW.toISOString(),
      status: "active",
    });
  });

  it("forgets old validators when a full response sends none, keeps them on 304", () => {
    const withValidators = { ...initialFeedState(FEED), etag: '"old"', lastModified: "x" };
    const full = nextFeedState(withValidators, itemsOutcome(), NOW);
    const notModified = nextFeedState(withValidators, { kind: "not-modified" }, NOW);
    expect(full.etag).toBeUndefined();
    expect(full.lastModified).toBeUndefined();
    expect(notModified).toMatchObject({ etag: '"old"', lastModified: "x", lastSuccessAt: NOW.toISOString() });
  });

  it("moves the feed to movedTo and keeps the configured URL", () => {
    const next = nextFeedState(
      initialFeedState(FEED),
      itemsOutcome({ movedTo: "https://new.example/rss" }),
      NOW,
    );
    expect(next).toMatchObject({ url: "https://new.example/rss", configuredUrl: FEED.url });
    const viaNotModified = nextFeedState(
      initialFeedState(FEED),
      { kind: "not-modified", movedTo: "https://b.example/" },
      NOW,
    );
    expect(viaNotModified.url).toBe("https://b.example/");
  });

  it("backs off exponentially from 5 minutes, capped at 6 hours", () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 40].map((n) => {
      const state = failTimes(n);
      return (Date.parse(state.nextAttemptAt ?? "") - NOW.getTime()) / MINUTE;
    });
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 360, 360, 360, 360]);
    expect(backoffMs(0)).toBe(0);
  });

  it("lets a longer Retry-After win, but not beyond a day", () => {
    const start = initialFeedState(FEED);
    const shortRetry = nextFeedState(start, failed({ reason: "http-429", retryAfterMs: 60_000 }), NOW);
    const longRetry = nextFeedState(start, failed({ reason: "http-503", retryAfterMs: 2 * 3_600_000 }), NOW);
    const absurd = nextFeedState(start, failed({ reason: "http-503", retryAfterMs: 90 * 86_400_000 }), NOW);
    expect(shortRetry.nextAttemptAt).toBe(new Date(NOW.getTime() + 5 * MINUTE).toISOString());
    expect(longRetry.nextAttemptAt).toBe(new Date(NOW.getTime() + 2 * 3_600_000).toISOString());
    expect(absurd.nextAttemptAt).toBe(
      new Date(NOW.getTime() + DEFAULT_HEALTH_POLICY.maxRetryAfterMs).toISOString(),
    );
  });

  it("records the failure and turns unhealthy after five consecutive failures", () => {
    const four = failTimes(4);
    const five = failTimes(5);
    expect(four).toMatchObject({ consecutiveFailures: 4, status: "active", lastError: "http-500: HTTP 500" });
    expect(five).toMatchObject({ consecutiveFailures: 5, status: "unhealthy" });
  });

  it("turns unhealthy on a failure a day into a failure streak", () => {
    const firstFailure = failTimes(1, initialFeedState(FEED), new Date(NOW.getTime() - 25 * 3_600_000));
    expect(firstFailure.failingSince).toBe(new Date(NOW.getTime() - 25 * 3_600_000).toISOString());
    expect(nextFeedState(firstFailure, failed(), NOW).status).toBe("unhealthy");
    const recent = failTimes(1, initialFeedState(FEED), new Date(NOW.getTime() - 3_600_000));
    expect(nextFeedState(recent, failed(), NOW).status).toBe("active");
    // A quiet day of unchanged polls (no writes) before one failure is no failure streak.
    const quiet = nextFeedState(
      initialFeedState(FEED),
      itemsOutcome(),
      new Date(NOW.getTime() - 25 * 3_600_000),
    );
    expect(nextFeedState(quiet, failed(), NOW)).toMatchObject({
      status: "active",
      failingSince: NOW.toISOString(),
    });
    // A success ends the streak.
    expect(nextFeedState(firstFailure, { kind: "not-modified" }, NOW).failingSince).toBeUndefined();
  });

  it("leaves an unchanged feed's state as it was, so the poll writes nothing", () => {
    const polled = nextFeedState(
      initialFeedState(FEED),
      itemsOutcome({ etag: '"e1"', contentHash: "h1" }),
      new Date(NOW.getTime() - 3_600_000),
    );
    const unchanged = nextFeedState(polled, { kind: "not-modified" }, NOW);
    expect(unchanged).toEqual(polled);
    expect(feedStateChanged(polled, unchanged)).toBe(false);
    expect(polled.contentHash).toBe("h1");
    // New validators, a recovery or a failure are changes and are written.
    expect(feedStateChanged(polled, nextFeedState(polled, { kind: "not-modified", etag: '"e2"' }, NOW))).toBe(
      true,
    );
    const failing = failTimes(1, polled);
    expect(feedStateChanged(polled, failing)).toBe(true);
    expect(nextFeedState(failing, { kind: "not-modified" }, NOW)).toMatchObject({
      consecutiveFailures: 0,
      lastSuccessAt: NOW.toISOString(),
    });
  });

  it("recovers from unhealthy on the next success", () => {
    expect(nextFeedState(failTimes(7), { kind: "not-modified" }, NOW)).toMatchObject({
      status: "active",
      consecutiveFailures: 0,
    });
  });

  it("retires a gone feed", () => {
    const next = nextFeedState(initialFeedState(FEED), { kind: "gone", status: 410 }, NOW);
    expect(next.status).toBe("retired");
    expect(next.lastError).toContain("410");
    expect(isDue(next, new Date(NOW.getTime() + 365 * 86_400_000))).toBe(false);
  });
});

describe("isDue", () => {
  it("is due without a scheduled attempt and once the backoff has passed", () => {
    const failedOnce = failTimes(1);
    expect(isDue(initialFeedState(FEED), NOW)).toBe(true);
    expect(isDue(failedOnce, NOW)).toBe(false);
    expect(isDue(failedOnce, new Date(NOW.getTime() + 4 * MINUTE))).toBe(false);
    expect(isDue(failedOnce, new Date(NOW.getTime() + 5 * MINUTE))).toBe(true);
    expect(isDue({ ...initialFeedState(FEED), nextAttemptAt: "garbage" }, NOW)).toBe(true);
  });
});

describe("stateForFeed", () => {
  it("keeps the stored state while the configured URL is unchanged, moved URL included", () => {
    const stored = { ...failTimes(2), url: "https://moved.example/rss" };
    expect(stateForFeed(FEED, stored)).toBe(stored);
  });

  it("starts over when the configured URL changed or nothing is stored", () => {
    const stored = failTimes(6);
    const changed = { ...FEED, url: "https://kcna.example/new-rss" };
    expect(stateForFeed(changed, stored)).toEqual(initialFeedState(changed));
    expect(stateForFeed(FEED, undefined)).toEqual(initialFeedState(FEED));
  });
});
