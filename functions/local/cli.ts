// `npm start`: the whole pipeline on this machine, no AWS account, no network beyond 127.0.0.1.
import { parseArgs } from "node:util";
import { ConfigError } from "#shared/config/schema.ts";
import { notAlertedNote } from "#shared/domain/digest.ts";
import { parseDuration } from "#shared/domain/duration.ts";
import { storyEventAt } from "#shared/domain/story.ts";
import type { Story } from "#shared/domain/types.ts";
import type { FeedReport } from "../poll-feeds/poll-feeds.ts";
import { EXIT_USAGE, quietSdkNodeWarning, readCommandLine } from "./command-line.ts";
import { type CycleSummary, type LocalPipeline, quietLog, startLocalPipeline } from "./local-pipeline.ts";

const USAGE = `Usage: npm start -- [options]

Runs the pipeline locally: DynamoDB Local, feeds over loopback HTTP, poll → store → stream → notify,
and shows what each subscriber would receive.

  --config <file>    config JSON (same format as the deploy); default: bundled demo feeds
                     and subscribers. "{{demo}}" in it stands for the local demo feed server.
  --outbox <file>    append each delivered message as a JSON line (default .local/outbox.jsonl)
  --data <dir>       keep DynamoDB Local's data in <dir> (default: in memory)
  --every <dur>      keep polling every <dur> (e.g. 30s, 5m) until Ctrl-C
  --dynamodb <url>   use the DynamoDB Local already running at this loopback URL (its data
                     outlives this run; the crash bench kills runs and keeps it)
  --lease <dur>      how long a publish claim left by a killed run holds (default 60s; the
                     crash bench uses a short one so a rerun takes it over at once)
  --verbose          show the handlers' log lines
  --help             this text`;

quietSdkNodeWarning();

const EXIT_CONFIG = EXIT_USAGE;
const EXIT_FAILURE = 1;

async function main(): Promise<number> {
  const args = readCommandLine(parse, USAGE);
  if (typeof args === "number") return args;
  const every = args.every === undefined ? undefined : parseDuration(args.every);
  if (args.every !== undefined && every === undefined) {
    console.error(`--every: "${args.every}" is not a duration (try 30s, 5m or 1h)`);
    return EXIT_CONFIG;
  }

  const leaseMs = args.lease === undefined ? undefined : parseDuration(args.lease);
  if (args.lease !== undefined && leaseMs === undefined) {
    console.error(`--lease: "${args.lease}" is not a duration (try 2s or 1m)`);
    return EXIT_CONFIG;
  }

  const print = (text: string) => console.log(text);
  let pipeline: LocalPipeline | undefined;
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    await pipeline?.stop();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      print(`\n${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping DynamoDB Local and the feed server…`);
      void stopAll().then(() => process.exit(130));
    });
  }

  print("pact-watch · local run");
  try {
    pipeline = await startLocalPipeline({
      ...(args.config ? { configPath: args.config } : {}),
      ...(args.data ? { dataDir: args.data } : {}),
      ...(leaseMs !== undefined ? { leaseMs } : {}),
      ...(args.dynamodb ? { dynamoDbEndpoint: args.dynamodb } : {}),
      outboxPath: args.outbox,
      print,
      log: quietLog(print, args.verbose),
      onFeed: (report) => print(feedLine(report)),
    });
    const { config } = pipeline;
    print(
      `  DynamoDB Local  ${pipeline.dynamoDbEndpoint} (${args.dynamodb ? "already running" : args.data ? `data kept in ${args.data}` : "in memory"})`,
    );
    print(
      `  Feed server     ${pipeline.feedServerUrl} (${args.config ? `config ${args.config}` : "bundled demo feeds"})`,
    );
    print(
      `  Subscribers     ${config.subscribers.map((s) => `${s.id} (${s.protocol}, ${describe(s)})`).join(", ") || "none"}`,
    );
    print(`  Outbox          ${args.outbox}`);

    for (let cycle = 1; ; cycle++) {
      print(`\n── Cycle ${cycle} · ${new Date().toISOString()} ──`);
      print(`Polling ${config.feeds.filter((f) => f.enabled).length} feed(s)…`);
      const summary = await pipeline.runCycle({ digest: cycle === 1 });
      printSummary(summary, print);
      printStories(await pipeline.stories(), config.stories.windowHours, print);
      if (every === undefined || stopping) break;
      print(`\nNext poll in ${args.every}; Ctrl-C to stop.`);
      await new Promise((r) => setTimeout(r, every));
    }
    await stopAll();
    return 0;
  } catch (err) {
    await stopAll();
    if (err instanceof ConfigError) {
      console.error(`\n${err.message}`);
      return EXIT_CONFIG;
    }
    console.error(`\nThe local run failed: ${(err as Error).stack ?? String(err)}`);
    return EXIT_FAILURE;
  }
}

function parse() {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      outbox: { type: "string", default: ".local/outbox.jsonl" },
      data: { type: "string" },
      every: { type: "string" },
      lease: { type: "string" },
      dynamodb: { type: "string" },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return values as {
    config?: string;
    outbox: string;
    data?: string;
    every?: string;
    lease?: string;
    dynamodb?: string;
    verbose: boolean;
    help: boolean;
  };
}

function describe(s: { minSeverity: string; mode: string; minOutlets: number; timeZone: string }): string {
  const parts = [s.mode, s.minSeverity === "high" ? "high severity only" : "all severities", s.timeZone];
  if (s.minOutlets > 1) parts.push(`after ${s.minOutlets} outlets`);
  return parts.join(", ");
}

function feedLine(r: FeedReport): string {
  const name = r.feedId.padEnd(18);
  const ms = `${r.ms} ms`.padStart(8);
  switch (r.result) {
    case "new-items":
    case "no-new-items":
      return `  ✓ ${name} ${r.seen} items, ${r.matched} matched, ${r.stored} new${r.dropped ? `, ${r.dropped} dropped` : ""} ${ms}`;
    case "not-modified":
      return `  ✓ ${name} not modified (304) ${ms}`;
    case "failed":
    case "store-failed":
      return `  ✗ ${name} ${r.error ?? r.result}${r.status === "unhealthy" ? " [unhealthy]" : ""} ${ms}`;
    case "gone":
      return `  ✗ ${name} gone (410): retired ${ms}`;
    default:
      return `  · ${name} ${r.result}`;
  }
}

function printStories(stories: Story[], windowHours: number, print: (t: string) => void): void {
  if (stories.length === 0) return;
  print(
    `\nStories first seen in the last ${windowHours} h (one alert each; later outlets join the story; event day first)`,
  );
  for (const story of stories) {
    const outlets = [...new Set(story.reports.map((r) => r.feedName))];
    const tag = story.severity === "high" ? "HIGH  " : "normal";
    print(`  ${storyEventAt(story).slice(0, 10)} ${tag} ${story.title.slice(0, 90)}`);
    if (story.stale) print(`         ${notAlertedNote(story.stale.maxAgeHours)}`);
    print(
      `         ${outlets.length} outlet${outlets.length > 1 ? "s" : ""}: ${outlets.join(", ")}${story.reports.some((r) => r.official) ? " (incl. an official source)" : ""}`,
    );
  }
}

function printSummary(s: CycleSummary, print: (t: string) => void): void {
  const p = s.poll;
  print("\nSummary");
  print(`  feeds     ${p.polled} polled, ${p.failed} failed${p.deferred ? `, ${p.deferred} deferred` : ""}`);
  print(
    `  items     ${p.itemsSeen} seen, ${p.itemsMatched} matched, ${p.itemsStored} stored${p.itemsDropped ? `, ${p.itemsDropped} dropped` : ""}`,
  );
  print(`  stories   ${s.storiesOpened} opened, ${s.storiesJoined} joined by another outlet`);
  print(
    `  alerts    ${s.alertsPublished} sent (${s.messagesDelivered} messages to subscribers)${s.digest ? `, ${s.digest.sent ? "digest sent" : "no digest (already sent today, no stories, or no digest subscribers)"}` : ""}`,
  );
  print(
    `  memory    peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB (this process; DynamoDB Local runs apart)`,
  );
  if (s.streamFailures > 0) print(`  ✗ ${s.streamFailures} stream record(s) failed after retries`);
}

process.exitCode = await main();
