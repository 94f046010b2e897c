// One DynamoDB Local per test file, a fresh table per test: integration tests use the real engine.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { SDK_RETRY } from "#shared/adapters/aws-retry.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { ensureTable } from "#shared/adapters/dynamodb/table-definition.ts";
import {
  type DynamoDbLocal,
  LOCAL_CLIENT_CONFIG,
  startDynamoDbLocal,
} from "#shared/adapters/local/dynamodb-local.ts";

export interface TestTable {
  name: string;
  streamArn: string;
}

export function useDynamoDbLocal() {
  let local: DynamoDbLocal | undefined;
  beforeAll(async () => {
    local = await startDynamoDbLocal();
  });
  afterAll(async () => {
    await local?.stop();
  });
  const get = (): DynamoDbLocal => {
    if (!local) throw new Error("DynamoDB Local is not running");
    return local;
  };
  return {
    get local() {
      return get();
    },
    get doc() {
      return createDocumentClient(get().client);
    },
    /** A client of its own on the same DynamoDB Local (the handlers' retry settings), for fault injection. */
    newClient(): DynamoDBClient {
      return new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, ...SDK_RETRY, endpoint: get().endpoint });
    },
    async freshTable(): Promise<TestTable> {
      const name = `test-${randomUUID()}`;
      const streamArn = await ensureTable(get().client, name);
      return { name, streamArn };
    },
  };
}
