// `npm run feed -- [--json] <url|feed-id> ...`: the feed doctor. Reads each feed the way the
// poller does and shows what the pipeline makes of it. A local tool: loopback is allowed (the demo
// server, the conformance suite) unless --deployed-policy asks for the deployed poller's rules.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { LOOPBACK_ALLOWED, PUBLIC_ONLY } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { type DemoFeedServer, startDemoFeedServer } from "#shared/adapters/local/demo-feed-server.ts";
import { DEFAULT_CONFIG_PATH } from "#shared/config/paths.ts";
import { type AppConfig, AppConfigSchema, ConfigError, type FeedConfig } from "#shared/config/schema.ts";
import { createMatcher, resolveWatchList } from "#shared/domain/match/index.ts";
import { readOptionsFor } from "#shared/ports.ts";
import { EXIT_USAGE, readCommandLine } from "./command-line.ts";
import { examineFeed } from "./doctor/examine-feed.ts";
import { renderRecord } from "./doctor/render.ts";
import { loadRunConfig } from "./local-pipeline.ts";

const USAGE = `Usage: npm run feed -- [options] <url|feed-id> [...]

Fetches, decodes, parses, normalizes and matches each feed with the pipeline's own code and shows
HTTP status, charset (and why), format, and for every item its id, title, link, published time and
verdict (relevant with rule and entities, or why not).

  --json              one JSON object per feed and line, nothing else on stdout
  --config <file>     where feed ids are looked up (and the watch list); default
                      ${DEFAULT_CONFIG_PATH} when it exists, else the bundled demo feeds
  --deployed-policy   refuse loopback too, as the deployed poller does (default: loopback allowed)
  --help              this text

Exit status: 0 when every feed was read, 1 when one failed, 2 for bad options or config.`;

const EXIT_FEED_FAILED = 1;

async function main(): Promise<number> {
  const args = readCommandLine(parse, USAGE);
  if (typeof args === "number") return args;
  if (args.targets.length === 0) {
    console.error(`Name at least one feed URL or feed id.\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  let demo: DemoFeedServer | undefined;
  try {
    const needsConfig = args.targets.some((target) => !isUrl(target));
    const configPath = args.config ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);
    if (needsConfig && usesDemoServer(configPath)) demo = await startDemoFeedServer();
    const config = needsConfig ? loadRunConfig(configPath, demo?.baseUrl ?? "") : undefined;
    const feeds = args.targets.map((target) => feedFor(target, config, configPath));

    const addressPolicy = args.deployedPolicy ? PUBLIC_ONLY : LOOPBACK_ALLOWED;
    const deps = {
      reader: createFeedReader({ addressPolicy }),
      matcher: createMatcher(resolveWatchList(config?.watchlist)),
      fetchDeps: { addressPolicy },
    };
    let failures = 0;
    for (const feed of feeds) {
      const record = await examineFeed(feed, readOptions(feed, config), deps);
      if (record.error) failures++;
      if (args.json) process.stdout.write(`${JSON.stringify(record)}\n`);
      else console.log([...renderRecord(record, label(feed)), ""].join("\n"));
    }
    if (!args.json) console.error(`address policy: ${addressPolicy.name}`);
    return failures > 0 ? EXIT_FEED_FAILED : 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return EXIT_USAGE;
  } finally {
    await demo?.close();
  }
}

function parse() {
  const { values, positionals } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      config: { type: "string" },
      "deployed-policy": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  return {
    json: values.json === true,
    config: values.config as string | undefined,
    deployedPolicy: values["deployed-policy"] === true,
    help: values.help === true,
    targets: positionals,
  };
}

function isUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}

/** The bundled demo feeds, or a config that names the demo server, need it running. */
function usesDemoServer(configPath: string | undefined): boolean {
  if (!configPath) return true;
  try {
    return readFileSync(configPath, "utf8").includes("{{demo}}");
  } catch {
    return false;
  }
}

function feedFor(target: string, config: AppConfig | undefined, configPath: string | undefined): FeedConfig {
  if (isUrl(target)) return { id: "doctor", url: target, official: false, enabled: true };
  const feed = config?.feeds.find((f) => f.id === target);
  if (feed) return feed;
  const known = config?.feeds.map((f) => f.id).join(", ") || "none";
  throw new ConfigError(`No feed "${target}" in ${configPath ?? "the bundled demo feeds"}:`, [
    `feed ids there: ${known}`,
  ]);
}

/** The config's polling defaults, for a feed read with no config. */
const DEFAULT_POLLING = AppConfigSchema.shape.polling.parse(undefined);

function readOptions(feed: FeedConfig, config: AppConfig | undefined) {
  return readOptionsFor(feed, config?.polling ?? DEFAULT_POLLING);
}

function label(feed: FeedConfig): string {
  return feed.id === "doctor" ? feed.url : `${feed.id}${feed.name ? ` (${feed.name})` : ""}  ${feed.url}`;
}

process.exitCode = await main();
