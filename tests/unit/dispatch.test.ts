import { describe, expect, it } from "vitest";
import { parseConfig } from "#shared/config/schema.ts";
import {
  type FeedSchedule,
  intervalProblem,
  isOverdue,
  planDispatch,
  pollWorkerTimeoutSeconds,
} from "#shared/domain/dispatch.ts";
import { type FeedState, initialFeedState } from "#shared/ports.ts";

const NOW = new Date("2026-12-07T12:00:00Z");
const MINUTE = 60_000;
const policy = { intervalMs: 5 * MINUTE, maxFeedsPerBatch: 2 };
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MINUTE).toISOString();

const feed = (id: string, host: string) =>
  parseConfig({ feeds: [{ id, url: `https://${host}/${id}.xml` }] }).feeds[0] as ReturnType<
    typeof parseConfig
  >["feeds"][number];

describe("planDispatch", () => {
  it("sends the least recently polled first, never-polled before all, and groups a host's feeds", () => {
    const feeds = [feed("a1", "a.test"), feed("b1", "b.test"), feed("a2", "a.test"), feed("a3", "a.test")];
    const schedules = new Map<string, FeedSchedule>([
      ["a1", { polledAt: ago(5) }],
      ["b1", { polledAt: ago(10) }],
      ["a3", { polledAt: ago(20) }],
    ]);

    const plan = planDispatch(feeds, schedules, NOW, policy);

    expect(plan.dispatched).toEqual(["a2", "a3", "b1", "a1"]);
    expect(plan.batches.map((b) => [b.host, b.feedIds])).toEqual([
      ["a.test", ["a2", "a3"]],
      ["b.test", ["b1"]],
      ["a.test", ["a1"]],
    ]);
    expect(plan.batches.every((b) => b.dispatchedAt === NOW.toISOString())).toBe(true);
  });

  it("leaves out feeds a worker holds, feeds backing off, retired and disabled feeds", () => {
    const failing: FeedState = {
      ...initialFeedState({ id: "c", url: "https://c.test/c.xml" }),
      consecutiveFailures: 6,
      status: "unhealthy",
      nextAttemptAt: new Date(NOW.getTime() + MINUTE).toISOString(),
    };
    const retired: FeedState = {
      ...initialFeedState({ id: "d", url: "https://d.test/d.xml" }),
      status: "retired",
    };
    const disabled = { ...feed("e", "e.test"), enabled: false };
    const schedules = new Map<string, FeedSchedule>([
      ["a", { polledAt: ago(1), leaseUntil: NOW.getTime() + 1 }],
      ["b", { polledAt: ago(6), leaseUntil: NOW.getTime() }],
      ["c", { state: failing }],
      ["d", { state: retired }],
    ]);
    const feeds = [
      feed("a", "a.test"),
      feed("b", "b.test"),
      feed("c", "c.test"),
      feed("d", "d.test"),
      disabled,
    ];

    const plan = planDispatch(feeds, schedules, NOW, policy);

    expect(plan.dispatched).toEqual(["b"]);
    expect(plan.inFlight).toEqual(["a"]);
    expect(plan.waiting).toEqual(["c", "d"]);
    expect(plan.failing).toEqual(["c"]);
    expect(plan.unhealthy).toEqual(["c"]);
  });

  it("groups by the feed's current URL after a permanent redirect", () => {
    const moved: FeedState = {
      ...initialFeedState({ id: "a", url: "https://old.test/a.xml" }),
      url: "https://new.test/a.xml",
    };
    const plan = planDispatch([feed("a", "old.test")], new Map([["a", { state: moved }]]), NOW, policy);
    expect(plan.batches[0]?.host).toBe("new.test");
  });
});

describe("isOverdue", () => {
  const state = initialFeedState({ id: "a", url: "https://a.test/a.xml" });
  it("is not overdue within 1.5 intervals of its last poll, overdue after, and when never polled", () => {
    expect(isOverdue(state, ago(7), NOW, 5 * MINUTE)).toBe(false);
    expect(isOverdue(state, ago(8), NOW, 5 * MINUTE)).toBe(true);
    expect(isOverdue(state, undefined, NOW, 5 * MINUTE)).toBe(true);
  });

  it("counts from the end of a backoff, not from the last poll", () => {
    const backingOff = { ...state, nextAttemptAt: ago(1) };
    expect(isOverdue(backingOff, ago(120), NOW, 5 * MINUTE)).toBe(false);
    expect(isOverdue({ ...state, nextAttemptAt: ago(3) }, ago(120), NOW, 5 * MINUTE)).toBe(true);
  });
});

describe("the interval against the worker timeout", () => {
  it("rejects an interval no longer than the timeout plus the margin, and says what to do", () => {
    const config = parseConfig({
      feeds: [{ id: "a", url: "https://a.test/a.xml" }],
      polling: { every: "1 minute", deadlineSeconds: 240 },
    });
    expect(pollWorkerTimeoutSeconds(config)).toBe(240 + 15 + 15);
    expect(intervalProblem(config)).toMatch(
      /shorter than the poll worker's timeout \(270 s.*every 5 minutes or more/,
    );
    expect(
      intervalProblem({ ...config, polling: { ...config.polling, every: "5 minutes" } }),
    ).toBeUndefined();
    expect(
      intervalProblem({
        ...config,
        polling: { ...config.polling, every: "5 minutes", deadlineSeconds: 280 },
      }),
    ).toMatch(/every 6 minutes/);
  });
});
