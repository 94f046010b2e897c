// Primary adapter: SQS (poll batches from the dispatcher) → pollBatch use case → FeedReader (HTTP)
// and DynamoDB stores and leases.
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SDK_RETRY } from "#shared/adapters/aws-retry.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createFeedLeaseStore } from "#shared/adapters/dynamodb/feed-lease-store.ts";
import { createFeedStateStore } from "#shared/adapters/dynamodb/feed-state-store.ts";
import { createItemStore } from "#shared/adapters/dynamodb/item-store.ts";
import { PUBLIC_ONLY } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { loadBundledConfig, requireEnv } from "#shared/adapters/lambda-runtime.ts";
import { dispatchPolicyFor, HOST_CONCURRENCY, pollWorkerTimeoutSeconds } from "#shared/domain/dispatch.ts";
import { createMatcher, resolveWatchList } from "#shared/domain/match/index.ts";
import { systemClock } from "#shared/ports.ts";
import { createQueueHandler } from "./queue-handler.ts";

const tableName = requireEnv("TABLE_NAME");
// The poller routes nothing: it is bundled without subscribers (infra functionConfigFor "poll").
const config = { ...loadBundledConfig(), subscribers: [] };
const logger = new Logger();
const doc = createDocumentClient(new DynamoDBClient(SDK_RETRY));

export const handler = createQueueHandler(
  config,
  {
    // Public addresses only: no loopback (Lambda's runtime API), metadata service or private network.
    reader: createFeedReader({ addressPolicy: PUBLIC_ONLY }),
    states: createFeedStateStore(doc, tableName),
    items: createItemStore(doc, tableName),
    leases: createFeedLeaseStore(doc, tableName),
    matcher: createMatcher(resolveWatchList(config.watchlist)),
    clock: systemClock,
    log: logger,
  },
  {
    // The lease lasts as long as this function may run (its timeout is the same figure).
    leaseMs: pollWorkerTimeoutSeconds(config) * 1000,
    intervalMs: dispatchPolicyFor(config).intervalMs,
    hostConcurrency: HOST_CONCURRENCY,
  },
  // No metrics of its own: the dispatcher counts failing, unhealthy and overdue feeds over all
  // feeds once a tick (custom metrics cost by the metric, not the datapoint).
);
