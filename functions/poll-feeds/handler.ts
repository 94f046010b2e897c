// Primary adapter: EventBridge Scheduler → pollFeeds use case → FeedReader (HTTP) and DynamoDB stores.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createFeedStateStore } from "#shared/adapters/dynamodb/feed-state-store.ts";
import { createItemStore } from "#shared/adapters/dynamodb/item-store.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { loadBundledConfig, requireEnv } from "#shared/adapters/lambda-runtime.ts";
import { createMatcher, resolveWatchList } from "#shared/domain/match/index.ts";
import { systemClock } from "#shared/ports.ts";
import { type PollSummary, pollFeeds } from "./poll-feeds.ts";

const tableName = requireEnv("TABLE_NAME");
const config = loadBundledConfig();
const logger = new Logger();
const metrics = new Metrics();
const doc = createDocumentClient(new DynamoDBClient({}));
const matcher = createMatcher(resolveWatchList(config.watchlist));

export const handler = async (): Promise<PollSummary> => {
  const summary = await pollFeeds(config, {
    reader: createFeedReader(),
    states: createFeedStateStore(doc, tableName),
    items: createItemStore(doc, tableName),
    matcher,
    clock: systemClock,
    log: logger,
  });
  metrics.addMetric("FeedsPolled", MetricUnit.Count, summary.polled);
  metrics.addMetric("FeedsFailed", MetricUnit.Count, summary.failed);
  metrics.addMetric(
    "FeedsUnhealthy",
    MetricUnit.Count,
    summary.feeds.filter((f) => f.status === "unhealthy").length,
  );
  metrics.addMetric("ItemsSeen", MetricUnit.Count, summary.itemsSeen);
  metrics.addMetric("ItemsMatched", MetricUnit.Count, summary.itemsMatched);
  metrics.addMetric("ItemsStored", MetricUnit.Count, summary.itemsStored);
  metrics.publishStoredMetrics();
  logger.info("poll finished", { ...summary, feeds: undefined });
  // Matches that could not be stored must not be forgotten: fail the run so Scheduler retries it and
  // the error alarm fires. The feeds' validators were not advanced, so nothing is skipped.
  if (summary.storeFailures > 0)
    throw new Error(`${summary.storeFailures} feed(s) could not store their matches`);
  return { ...summary, feeds: summary.feeds };
};
