// Use case of the dispatcher: read every enabled feed's state and lease, plan (shared/domain/
// dispatch.ts) and put the batches on the poll queue. Called by the scheduled Lambda and by the
// local queue stand-in; it knows ports, not AWS.
import {
  type DispatchPlan,
  type DispatchPolicy,
  type PollingConfig,
  planDispatch,
} from "#shared/domain/dispatch.ts";
import type { Clock, FeedLeaseStore, Log, PollQueue } from "#shared/ports.ts";

export interface DispatchDependencies {
  leases: FeedLeaseStore;
  queue: PollQueue;
  clock: Clock;
  log: Log;
}

export async function dispatchFeeds(
  config: PollingConfig,
  deps: DispatchDependencies,
  policy: DispatchPolicy,
): Promise<DispatchPlan> {
  const feeds = config.feeds.filter((f) => f.enabled);
  const schedules = await deps.leases.schedules(feeds.map((f) => f.id));
  const plan = planDispatch(feeds, schedules, deps.clock.now(), policy);
  await deps.queue.send(plan.batches);
  deps.log.info("feeds dispatched", {
    batches: plan.batches.length,
    dispatched: plan.dispatched.length,
    inFlight: plan.inFlight.length,
    waiting: plan.waiting.length,
    overdue: plan.overdue.length,
    failing: plan.failing.length,
    unhealthy: plan.unhealthy.length,
  });
  if (plan.overdue.length > 0) {
    deps.log.warn("feeds overdue", { feedIds: plan.overdue.slice(0, OVERDUE_IDS_LOGGED) });
  }
  return plan;
}

/** Enough ids to see a pattern in the log without a line the size of the config. */
const OVERDUE_IDS_LOGGED = 50;
