// `npm run cost [-- --markdown]`: the monthly list price at 20, 100, 500 and 5,000 feeds every 5
// minutes, from prices.json, workload.json and the template `cdk synth` makes of the example config.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { URL as NodeUrl } from "node:url";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { EXAMPLE_CONFIG_PATH, loadDeployConfig } from "#infra/config.ts";
import { definePactWatch } from "#infra/define-app.ts";
import { HOST_CONCURRENCY, hostOf, MAX_FEEDS_PER_BATCH } from "#shared/domain/dispatch.ts";
import { SENT_ONLY_ABOVE_ZERO } from "#shared/domain/dispatch-metrics.ts";
import { METRICS_NAMESPACE } from "../constructs/pipeline.ts";
import {
  type CostLine,
  monthlyCost,
  type Prices,
  type TemplateFacts,
  total,
  type Workload,
} from "./model.ts";

const FEED_COUNTS = [20, 100, 500, 5000];
const INTERVAL_MINUTES = 5;

const readJson = <T>(name: string): T =>
  JSON.parse(readFileSync(new NodeUrl(name, import.meta.url), "utf8")) as T;

function templateFacts(): { facts: TemplateFacts; feedsPerHost: number } {
  const outdir = mkdtempSync(join(tmpdir(), "pact-watch-cost-"));
  try {
    const app = new App({ outdir, context: { "aws:cdk:bundling-stacks": [] } });
    const { config } = loadDeployConfig(EXAMPLE_CONFIG_PATH, { allowPlaceholders: true });
    const stack = definePactWatch(app, { config, nag: false });
    const template = Template.fromStack(stack).toJSON() as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    const resources = Object.entries(template.Resources);
    const ofType = (type: string) =>
      resources.filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}] as const);
    const idOf = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
    const memoryOf = (construct: { node: { defaultChild?: unknown } }) =>
      Number(ofType("AWS::Lambda::Function").find(([id]) => id === idOf(construct))?.[1].MemorySize ?? 128);
    const workerMapping = ofType("AWS::Lambda::EventSourceMapping").find(([, p]) =>
      JSON.stringify(p.FunctionName).includes(idOf(stack.pipeline.pollFeeds)),
    );
    const alarms = ofType("AWS::CloudWatch::Alarm").map(([, p]) => p);
    const alarmMetrics = alarms.reduce(
      (n, a) =>
        n +
        (Array.isArray(a.Metrics)
          ? (a.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat).length
          : 1),
      0,
    );
    const customMetricNames = new Set(
      alarms.filter((a) => a.Namespace === METRICS_NAMESPACE).map((a) => String(a.MetricName)),
    );
    const customMetrics = customMetricNames.size;
    const customMetricsSentOnProblem = [...customMetricNames].filter((name) =>
      SENT_ONLY_ABOVE_ZERO.has(name),
    ).length;
    const hosts = new Set(config.feeds.map((f) => hostOf(f.url))).size;
    return {
      facts: {
        dispatcherMemoryMb: memoryOf(stack.pipeline.dispatchFeeds),
        workerMemoryMb: memoryOf(stack.pipeline.pollFeeds),
        batchesPerInvocation: Number(workerMapping?.[1].BatchSize ?? 1),
        alarmMetrics,
        customMetrics,
        customMetricsSentOnProblem,
        kmsKeys: ofType("AWS::KMS::Key").length,
        dashboards: ofType("AWS::CloudWatch::Dashboard").length,
      },
      feedsPerHost: config.feeds.length / hosts,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const usd = (value: number) => value.toFixed(2);

function main(): void {
  const markdown = process.argv.includes("--markdown");
  const prices = readJson<Prices>("./prices.json");
  const { note: _note, ...workload } = readJson<Workload & { note: string }>("./workload.json");
  const { facts, feedsPerHost } = templateFacts();
  const columns = FEED_COUNTS.map((feeds) =>
    monthlyCost(
      {
        feeds,
        intervalMinutes: INTERVAL_MINUTES,
        feedsPerHost,
        maxFeedsPerBatch: MAX_FEEDS_PER_BATCH,
        hostConcurrency: HOST_CONCURRENCY,
      },
      facts,
      prices,
      workload,
    ),
  );
  const items = (columns[0] ?? []).map((line) => line.item);
  const rows: string[][] = items.map((item, i) => [item, ...columns.map((c) => usd((c[i] as CostLine).usd))]);
  rows.push(["**total, list price**", ...columns.map((c) => `**${usd(total(c, "usd"))}**`)]);
  rows.push(["total after the always-free allowances", ...columns.map((c) => usd(total(c, "freeUsd")))]);
  const header = [
    "USD a month, every 5 minutes",
    ...FEED_COUNTS.map((n) => `${n.toLocaleString("en")} feeds`),
  ];
  const context = [
    `Template: example config (${facts.alarmMetrics} alarm metrics, ${facts.customMetrics} custom metrics, ${facts.kmsKeys} KMS keys, ${facts.dashboards} dashboard; dispatcher ${facts.dispatcherMemoryMb} MB, worker ${facts.workerMemoryMb} MB, ${facts.batchesPerInvocation} hosts per worker invocation; ${feedsPerHost.toFixed(2)} feeds per host).`,
    `Prices: ${prices.region} list prices, ${prices.asOf}. Workload assumptions: infra/cost/workload.json (fetch ${workload.fetchSeconds} s per feed, ${workload.changedShare * 100} % of polls change a feed's state, some feed overdue or unhealthy in ${workload.problemHourShare * 100} % of the hours). SMS is priced per message and country, and is not included.`,
  ];
  if (markdown) {
    console.log(`| ${header.join(" | ")} |`);
    console.log(`| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`);
    for (const row of rows) console.log(`| ${row.join(" | ")} |`);
    console.log();
    for (const line of context) console.log(line);
    return;
  }
  const width = Math.max(...rows.map((r) => (r[0] ?? "").length), (header[0] ?? "").length);
  const cell = (text: string) => text.replaceAll("**", "").padStart(13);
  console.log([header[0]?.padEnd(width), ...header.slice(1).map(cell)].join(""));
  for (const row of rows)
    console.log([(row[0] ?? "").replaceAll("**", "").padEnd(width), ...row.slice(1).map(cell)].join(""));
  for (const line of context) console.log(line);
}

main();
