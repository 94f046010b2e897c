// The custom metrics the pipeline publishes (namespace PactWatch, dimension `service`), named once
// for the handler that publishes them and the alarms that watch them. Each costs USD 0.30 a month,
// so there are three, all counted by the dispatcher over every feed once a tick: "no successful
// poll" is every feed failing (or no count at all), so it needs no metric of its own.
export const DISPATCH_METRICS = {
  /** Due feeds not polled for more than 1.5 intervals (shared/domain/dispatch.ts). */
  overdue: "FeedsOverdue",
  /** Feeds whose last poll failed. */
  failing: "FeedsFailing",
  /** Feeds failing long enough to be called unhealthy (feed-health.ts). */
  unhealthy: "FeedsUnhealthy",
} as const;

/** Powertools service names, which are the metrics' `service` dimension. */
export const SERVICE_NAMES = {
  dispatch: "dispatch-feeds",
  poll: "poll-feeds",
  notify: "notify-subscribers",
  digest: "send-digest",
} as const;
