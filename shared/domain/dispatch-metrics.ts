// The custom metrics the pipeline publishes (namespace PactWatch, dimension `service`), named once
// for the handler that publishes them and the alarms that watch them. Each costs USD 0.30 a month
// when sent every hour, so there are three, all counted by the dispatcher over every feed once a tick: "no successful
// poll" is every feed failing (or no count at all), so it needs no metric of its own.
export const DISPATCH_METRICS = {
  /** Due feeds not polled for more than 1.5 intervals (shared/domain/dispatch.ts). */
  overdue: "FeedsOverdue",
  /** Feeds whose last poll failed. */
  failing: "FeedsFailing",
  /** Feeds failing long enough to be called unhealthy (feed-health.ts). */
  unhealthy: "FeedsUnhealthy",
} as const;

/**
 * Counts sent only in a tick where they are above zero. CloudWatch bills a custom metric by the
 * hours it receives data, and these alarms read no data as nothing wrong, so a healthy month costs
 * nothing for them. The failing count is sent every tick: its absence is the "no dispatch" signal.
 */
export const SENT_ONLY_ABOVE_ZERO: ReadonlySet<string> = new Set([
  DISPATCH_METRICS.overdue,
  DISPATCH_METRICS.unhealthy,
]);

/** The datapoints one dispatch tick publishes, by metric name. */
export function dispatchDatapoints(counts: {
  overdue: number;
  failing: number;
  unhealthy: number;
}): Array<{ name: string; value: number }> {
  return [
    { name: DISPATCH_METRICS.overdue, value: counts.overdue },
    { name: DISPATCH_METRICS.failing, value: counts.failing },
    { name: DISPATCH_METRICS.unhealthy, value: counts.unhealthy },
  ].filter(({ name, value }) => value > 0 || !SENT_ONLY_ABOVE_ZERO.has(name));
}

/** Powertools service names, which are the metrics' `service` dimension. */
export const SERVICE_NAMES = {
  dispatch: "dispatch-feeds",
  poll: "poll-feeds",
  notify: "notify-subscribers",
  digest: "send-digest",
} as const;
