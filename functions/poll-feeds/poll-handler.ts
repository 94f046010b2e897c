// The handler body, shared by the Lambda (handler.ts wires AWS clients and metrics) and the local run.
import type { AppConfig } from "#shared/config/schema.ts";
import { type PollDependencies, type PollOptions, type PollSummary, pollFeeds } from "./poll-feeds.ts";

/** Where the run's numbers go: CloudWatch metrics in Lambda, the terminal locally. */
export interface PollMetrics {
  record(summary: PollSummary): void;
}

export function createPollHandler(
  config: AppConfig,
  deps: PollDependencies,
  metrics?: PollMetrics,
  options: PollOptions = {},
): () => Promise<PollSummary> {
  return async () => {
    const summary = await pollFeeds(config, deps, options);
    metrics?.record(summary);
    deps.log.info("poll finished", {
      polled: summary.polled,
      failed: summary.failed,
      deferred: summary.deferred,
      itemsSeen: summary.itemsSeen,
      itemsStored: summary.itemsStored,
    });
    // Matches that could not be stored must not be forgotten: fail the run so it is retried and the
    // error alarm fires. Those feeds' validators were not advanced, so nothing is skipped.
    if (summary.storeFailures > 0) {
      throw new Error(`${summary.storeFailures} feed(s) could not store their matches`);
    }
    return summary;
  };
}
