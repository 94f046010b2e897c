// `npm run history`: what the pipeline matched, which stories it made and which alerts went to whom,
// from a local data dir (`npm start -- --data D`) or the deployed table.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { startDynamoDbLocal } from "#shared/adapters/local/dynamodb-local.ts";
import { DEFAULT_CONFIG_PATH } from "#shared/config/paths.ts";
import { ConfigError } from "#shared/config/schema.ts";
import { parseDuration } from "#shared/domain/duration.ts";
import { EXIT_USAGE, quietSdkNodeWarning, readCommandLine } from "./command-line.ts";
import { historyView } from "./history/query.ts";
import { readHistory } from "./history/read-table.ts";
import { renderHistory } from "./history/render.ts";
import { LOCAL_TABLE_NAME, loadRunConfig } from "./local-pipeline.ts";

const USAGE = `Usage: npm run history -- (--data <dir> | --table <name>) [options]

  --data <dir>       a local run's data (npm start -- --data <dir>)
  --table <name>     the deployed table (the stack's TableName output; AWS credentials and region
                     from the usual AWS_PROFILE / AWS_REGION)
  --since <dur>      only the last <dur> (7d, 12h, 30m)
  --entity <id>      only what names this watch-list entity or side (putin, treaty, dprk, …)
  --grep <text>      only what contains <text> in a title or summary
  --stories          stories with their outlets, reports and alerts, instead of matches and alerts
  --json             one JSON object per line: {"type":"match"|"story"|"alert", …}
  --config <file>    whose subscribers the alerts are matched against (masked endpoints);
                     default ${DEFAULT_CONFIG_PATH} when it exists, else the demo subscribers`;

quietSdkNodeWarning();

async function main(): Promise<number> {
  const args = readCommandLine(parse, USAGE);
  if (typeof args === "number") return args;
  if (Boolean(args.data) === Boolean(args.table)) {
    console.error(`Give exactly one of --data <dir> or --table <name>.\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const sinceMs = args.since === undefined ? undefined : parseDuration(args.since);
  if (args.since !== undefined && sinceMs === undefined) {
    console.error(`--since: "${args.since}" is not a duration (try 7d, 12h or 30m)`);
    return EXIT_USAGE;
  }
  if (args.data && !existsSync(args.data)) {
    console.error(`--data: ${args.data} does not exist (make it with npm start -- --data ${args.data})`);
    return EXIT_USAGE;
  }

  let config: ReturnType<typeof loadRunConfig>;
  try {
    const configPath = args.config ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);
    // Only the subscribers are read; the demo server's address is never used.
    config = loadRunConfig(configPath, "http://127.0.0.1");
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return EXIT_USAGE;
  }

  const now = new Date();
  const local = args.data ? await startDynamoDbLocal({ dataDir: args.data }) : undefined;
  try {
    const client = local?.client ?? new DynamoDBClient({});
    const tableName = args.table ?? LOCAL_TABLE_NAME;
    const data = await readHistory(createDocumentClient(client), tableName, now);
    const view = historyView(data, config.subscribers, {
      ...(sinceMs !== undefined ? { since: new Date(now.getTime() - sinceMs).toISOString() } : {}),
      ...(args.entity ? { entity: args.entity } : {}),
      ...(args.grep ? { grep: args.grep } : {}),
    });
    if (args.json) {
      const rows = args.stories
        ? view.stories.map((story) => ({ type: "story", ...story }))
        : [
            ...view.matches.map((m) => ({ type: "match", ...m })),
            ...view.alerts.map((a) => ({ type: "alert", ...a })),
          ];
      for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    } else {
      console.log(renderHistory(view, args.stories).join("\n"));
    }
    return 0;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) {
      console.error(`No table ${args.table ?? `in ${args.data}`}: ${err.message}`);
      return EXIT_USAGE;
    }
    throw err;
  } finally {
    await local?.stop();
  }
}

function parse() {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      table: { type: "string" },
      since: { type: "string" },
      entity: { type: "string" },
      grep: { type: "string" },
      stories: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      config: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return values as {
    data?: string;
    table?: string;
    since?: string;
    entity?: string;
    grep?: string;
    stories: boolean;
    json: boolean;
    config?: string;
    help: boolean;
  };
}

process.exitCode = await main();
