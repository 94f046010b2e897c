// Primary adapter: EventBridge Scheduler (daily) → sendDigest use case → DynamoDB + SNS.
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SDK_RETRY } from "#shared/adapters/aws-retry.ts";
import { createDeliveryLedger } from "#shared/adapters/dynamodb/delivery-ledger.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createStoryStore } from "#shared/adapters/dynamodb/story-store.ts";
import { loadBundledConfig, requireEnv } from "#shared/adapters/lambda-runtime.ts";
import { createSnsPublisher } from "#shared/adapters/sns-publisher.ts";
import { systemClock } from "#shared/ports.ts";
import { type DigestSummary, sendDigest } from "./send-digest.ts";

const tableName = requireEnv("TABLE_NAME");
const topicArn = requireEnv("TOPIC_ARN");
const config = loadBundledConfig();
const logger = new Logger();
const doc = createDocumentClient(new DynamoDBClient(SDK_RETRY));
const deps = {
  stories: createStoryStore(doc, tableName),
  ledger: createDeliveryLedger(doc, tableName, config.retentionDays * 86_400),
  publisher: createSnsPublisher(new SNSClient(SDK_RETRY), topicArn),
  clock: systemClock,
  log: logger,
};

export const handler = async (): Promise<DigestSummary> => {
  const summary = await sendDigest(config, deps);
  logger.info("digest finished", { ...summary });
  // A failed publish was released in the ledger: failing the run lets Scheduler retry it.
  if (summary.failed > 0) throw new Error(`${summary.failed} digest publish(es) failed`);
  return summary;
};
