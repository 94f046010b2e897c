// Primary adapter: EventBridge Scheduler → pollFeeds use case → FeedReader (HTTP) and DynamoDB stores.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SDK_RETRY } from "#shared/adapters/aws-retry.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createFeedStateStore } from "#shared/adapters/dynamodb/feed-state-store.ts";
import { createItemStore } from "#shared/adapters/dynamodb/item-store.ts";
import { PUBLIC_ONLY } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { loadBundledConfig, requireEnv } from "#shared/adapters/lambda-runtime.ts";
import { createMatcher, resolveWatchList } from "#shared/domain/match/index.ts";
import { systemClock } from "#shared/ports.ts";
import { createPollHandler } from "./poll-handler.ts";

const tableName = requireEnv("TABLE_NAME");
// The poller routes nothing: it is bundled without subscribers (infra functionConfigFor "poll").
const config = { ...loadBundledConfig(), subscribers: [] };
const logger = new Logger();
const metrics = new Metrics();
const doc = createDocumentClient(new DynamoDBClient(SDK_RETRY));

export const handler = createPollHandler(
  config,
  {
    // Public addresses only: no loopback (Lambda's runtime API), metadata service or private network.
    reader: createFeedReader({ addressPolicy: PUBLIC_ONLY }),
    states: createFeedStateStore(doc, tableName),
    items: createItemStore(doc, tableName),
    matcher: createMatcher(resolveWatchList(config.watchlist)),
    clock: systemClock,
    log: logger,
  },
  {
    record(summary) {
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
    },
  },
);
