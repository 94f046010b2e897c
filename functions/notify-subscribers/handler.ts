// Primary adapter: DynamoDB stream (INSERT of matched items) → notifyItem use case → DynamoDB + SNS.
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SDK_RETRY } from "#shared/adapters/aws-retry.ts";
import { createDeliveryLedger } from "#shared/adapters/dynamodb/delivery-ledger.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createItemStore } from "#shared/adapters/dynamodb/item-store.ts";
import { createStoryStore } from "#shared/adapters/dynamodb/story-store.ts";
import { loadBundledConfig, requireEnv } from "#shared/adapters/lambda-runtime.ts";
import { createSnsPublisher } from "#shared/adapters/sns-publisher.ts";
import { systemClock } from "#shared/ports.ts";
import { notifySettingsFrom } from "./settings.ts";
import { createNotifyHandler } from "./stream-handler.ts";

const tableName = requireEnv("TABLE_NAME");
const topicArn = requireEnv("TOPIC_ARN");
const config = loadBundledConfig();
const logger = new Logger();
const doc = createDocumentClient(new DynamoDBClient(SDK_RETRY));

export const handler = createNotifyHandler(
  {
    stories: createStoryStore(doc, tableName),
    items: createItemStore(doc, tableName),
    ledger: createDeliveryLedger(doc, tableName, config.retentionDays * 86_400),
    publisher: createSnsPublisher(new SNSClient(SDK_RETRY), topicArn),
    clock: systemClock,
    log: logger,
  },
  notifySettingsFrom(config),
);
