// Primary adapter: EventBridge Scheduler → dispatchFeeds use case → DynamoDB (states, leases) and SQS.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SDK_RETRY } from "#shared/adapters/aws-retry.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createFeedLeaseStore } from "#shared/adapters/dynamodb/feed-lease-store.ts";
import { loadBundledConfig, requireEnv } from "#shared/adapters/lambda-runtime.ts";
import { createSqsPollQueue } from "#shared/adapters/sqs-poll-queue.ts";
import { dispatchPolicyFor } from "#shared/domain/dispatch.ts";
import { dispatchDatapoints } from "#shared/domain/dispatch-metrics.ts";
import { systemClock } from "#shared/ports.ts";
import { dispatchFeeds } from "./dispatch-feeds.ts";

const tableName = requireEnv("TABLE_NAME");
const queueUrl = requireEnv("QUEUE_URL");
// The dispatcher routes nothing: it is bundled without subscribers (infra functionConfigFor "poll").
const config = loadBundledConfig();
const policy = dispatchPolicyFor(config);
const logger = new Logger();
const metrics = new Metrics();
const doc = createDocumentClient(new DynamoDBClient(SDK_RETRY));
const queue = createSqsPollQueue(new SQSClient(SDK_RETRY), queueUrl);

export const handler = async () => {
  const plan = await dispatchFeeds(
    config,
    { leases: createFeedLeaseStore(doc, tableName), queue, clock: systemClock, log: logger },
    policy,
  );
  // Counts over all feeds, one datapoint per tick: the alarms compare them with thresholds.
  const counts = {
    overdue: plan.overdue.length,
    failing: plan.failing.length,
    unhealthy: plan.unhealthy.length,
  };
  for (const { name, value } of dispatchDatapoints(counts)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
  return { batches: plan.batches.length, dispatched: plan.dispatched.length, overdue: plan.overdue.length };
};
