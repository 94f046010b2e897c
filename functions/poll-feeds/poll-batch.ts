// Use case of the poll worker: one queue message (some feeds of one host) → take each feed's lease,
// run the poll use case on the feeds we hold, give back the leases of feeds it did not reach.
// Called by the SQS handler and by the local queue stand-in; it knows ports, not AWS.
import type { AppConfig } from "#shared/config/schema.ts";
import type { PollBatch } from "#shared/domain/dispatch.ts";
import type { FeedLease, FeedLeaseStore } from "#shared/ports.ts";
import { type PollDependencies, type PollOptions, type PollSummary, pollFeeds } from "./poll-feeds.ts";

export interface WorkerDependencies extends PollDependencies {
  leases: FeedLeaseStore;
}

export interface WorkerPolicy {
  /** How long a lease holds: the worker's timeout, so a crashed worker's feeds free themselves. */
  leaseMs: number;
  /** A message older than this is dropped: a newer dispatch has sent its feeds again. */
  intervalMs: number;
  /** Feeds of one host fetched at once (politeness), within the config's overall concurrency. */
  hostConcurrency: number;
}

export type BatchOutcome =
  | { kind: "superseded"; ageMs: number }
  | { kind: "polled"; summary: PollSummary; leased: number; heldElsewhere: string[]; unknown: string[] };

export async function pollBatch(
  config: AppConfig,
  batch: PollBatch,
  deps: WorkerDependencies,
  policy: WorkerPolicy,
  options: PollOptions = {},
): Promise<BatchOutcome> {
  const now = deps.clock.now();
  const ageMs = now.getTime() - Date.parse(batch.dispatchedAt);
  if (ageMs > policy.intervalMs) {
    deps.log.warn("poll batch superseded by a newer dispatch", { host: batch.host, ageMs });
    return { kind: "superseded", ageMs };
  }

  const configured = new Map(config.feeds.filter((f) => f.enabled).map((f) => [f.id, f]));
  // A feed removed from the config since the dispatch is not polled.
  const unknown = batch.feedIds.filter((id) => !configured.has(id));
  const leases = new Map<string, FeedLease>();
  const heldElsewhere: string[] = [];
  // Each feed's lease is its own conditional write: asked for together, read back in batch order.
  const wanted = batch.feedIds.filter((id) => configured.has(id));
  const acquired = await Promise.all(wanted.map((id) => deps.leases.acquire(id, now, policy.leaseMs)));
  wanted.forEach((feedId, i) => {
    const lease = acquired[i];
    if (lease) leases.set(feedId, lease);
    else heldElsewhere.push(feedId);
  });
  if (heldElsewhere.length > 0) {
    deps.log.info("feeds polled by another worker, skipped", { host: batch.host, feedIds: heldElsewhere });
  }

  const feeds = batch.feedIds.flatMap((id) => {
    const feed = configured.get(id);
    return feed && leases.has(id) ? [feed] : [];
  });
  const summary = await pollFeeds(
    {
      ...config,
      feeds,
      polling: {
        ...config.polling,
        concurrency: Math.min(config.polling.concurrency, policy.hostConcurrency),
      },
    },
    deps,
    options,
  );

  // Feeds the deadline cut off keep their place in line: their lease is given back with the old
  // poll time, so the next dispatch sends them first.
  const deferred = summary.feeds.flatMap((report) => {
    const lease = leases.get(report.feedId);
    return lease && report.result === "deferred" ? [lease] : [];
  });
  await Promise.all(deferred.map((lease) => deps.leases.release(lease)));
  return { kind: "polled", summary, leased: leases.size, heldElsewhere, unknown };
}
