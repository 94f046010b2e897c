// `npm run backtest -- <items.jsonl> [--config FILE] [--quiet] [--json]`: replays a dated archive
// (the eval format, with an optional `development` field) through the real matcher and story code
// in publication order on a virtual clock, prints the alerts a subscriber would have received and,
// where items carry `development`, the development-level figures the end-to-end judge prints.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfigFile, loadWatchListFile } from "#shared/config/load.ts";
import { type AppConfig, parseConfig } from "#shared/config/schema.ts";
import { eventTime } from "#shared/domain/event-time.ts";
import { emailSubject } from "#shared/domain/format.ts";
import { createMatcher, resolveWatchList } from "#shared/domain/match/index.ts";
import { placeInStory, storyEventAt, storyVocabulary } from "#shared/domain/story.ts";
import type { Matcher, StoredItem, Story, StoryPublish } from "#shared/domain/types.ts";
import { type EvalItem, loadEvalItems } from "./eval.ts";

export interface BacktestItem extends EvalItem {
  /** The development a relevant item reports (a slug), when the archive is labelled by development. */
  development?: string | null;
}

/** One publish a subscriber would have received. */
export interface BacktestAlert {
  at: string;
  storyId: string;
  stage: StoryPublish["stage"];
  subject: string;
  /** Item ids of the story's reports when it was sent (the email's links). */
  itemIds: string[];
}

export interface BacktestRun {
  alerts: BacktestAlert[];
  stories: Story[];
  /** Item ids the matcher accepted. */
  matched: Set<string>;
  /** Matched items first seen later than alerts.maxAgeHours after their event: stored, not alerted. */
  stale: number;
}

export interface DevelopmentFigures {
  developments: number;
  alerted: number;
  falseAlerts: number;
  precision: number;
  recall: number;
  duplicates: number;
  merges: number;
  alertCount: number;
  missed: string[];
  duplicated: Array<{ development: string; alerts: number }>;
  merged: string[];
}

/**
 * The archive in publication order (items without a date keep their place after the last dated
 * one), each seen by the virtual poller at its publication time.
 */
export function replay(items: BacktestItem[], config: AppConfig, matcher?: Matcher): BacktestRun {
  const document = resolveWatchList(config.watchlist);
  const match = matcher ?? createMatcher(document);
  const vocabulary = storyVocabulary(document);
  const ordered = items
    .map((item, index) => ({ item, index, at: Date.parse(item.published ?? "") }))
    .sort((a, b) => (a.at || 0) - (b.at || 0) || a.index - b.index);
  const alerts: BacktestAlert[] = [];
  const stories = new Map<string, Story>();
  const matched = new Set<string>();
  const windowMs = config.stories.windowHours * 3_600_000;
  let clock = 0;
  let stale = 0;
  for (const { item, at } of ordered) {
    clock = Number.isFinite(at) ? Math.max(clock, at) : clock;
    const result = match.match({ title: item.title, summary: item.summary, language: item.lang });
    if (!result.relevant) continue;
    matched.add(item.id);
    const now = new Date(clock);
    const stored: StoredItem = {
      id: item.id,
      feedId: item.source ?? "archive",
      feedName: item.source ?? "archive",
      official: false,
      title: item.title,
      summary: item.summary,
      language: item.lang,
      seenAt: now.toISOString(),
      match: result,
      ...(item.link ? { link: item.link } : {}),
      ...(item.published ? { published: item.published } : {}),
    };
    const event = Date.parse(eventTime(stored));
    const near = [...stories.values()].filter(
      (story) => Math.abs(Date.parse(storyEventAt(story)) - event) <= windowMs,
    );
    const decision = placeInStory(stored, near, {
      windowHours: config.stories.windowHours,
      maxAgeHours: config.alerts.maxAgeHours,
      now,
      thresholds: [],
      vocabulary,
    });
    stories.set(decision.story.id, decision.story);
    if (decision.created && decision.story.stale) stale++;
    for (const publish of decision.publishes) {
      alerts.push({
        at: now.toISOString(),
        storyId: decision.story.id,
        stage: publish.stage,
        subject: emailSubject(decision.story, publish, document.story),
        itemIds: decision.story.reports.map((report) => report.itemId),
      });
    }
  }
  return { alerts, stories: [...stories.values()], matched, stale };
}

/**
 * The end-to-end judge's definitions: a development is alerted when a `new` alert carries one of
 * its items; a false alert carries no relevant item; duplicates are `new` alerts beyond the first
 * for a development; a development is merged when one of its items sits in a story another
 * development (or an irrelevant item) opened, or when it got no alert although the matcher accepted
 * one of its items. The replay sees every story's members, so merges the judge cannot see count here.
 */
export function developmentFigures(items: BacktestItem[], run: BacktestRun): DevelopmentFigures {
  const byId = new Map(items.map((item) => [item.id, item]));
  const developmentOf = (id: string) => {
    const item = byId.get(id);
    return item?.relevant ? (item.development ?? undefined) : undefined;
  };
  const all = [
    ...new Set(items.flatMap((item) => (item.relevant && item.development ? [item.development] : []))),
  ];
  const alertsFor = new Map<string, number>();
  let falseAlerts = 0;
  const newAlerts = run.alerts.filter((alert) => alert.stage === "new");
  for (const alert of newAlerts) {
    const developments = new Set(alert.itemIds.map(developmentOf).filter((d) => d !== undefined));
    if (developments.size === 0) falseAlerts++;
    for (const development of developments) alertsFor.set(development, (alertsFor.get(development) ?? 0) + 1);
  }
  const merged = new Set<string>();
  for (const story of run.stories) {
    const opener = story.reports[0] ? developmentOf(story.reports[0].itemId) : undefined;
    for (const report of story.reports) {
      const development = developmentOf(report.itemId);
      if (development !== undefined && development !== opener) merged.add(development);
    }
  }
  const missed = all.filter((development) => !alertsFor.has(development));
  for (const development of missed) {
    const accepted = items.some((item) => item.development === development && run.matched.has(item.id));
    if (accepted) merged.add(development);
  }
  const alerted = all.length - missed.length;
  const duplicated = [...alertsFor.entries()]
    .filter(([, count]) => count > 1)
    .map(([development, count]) => ({ development, alerts: count }));
  return {
    developments: all.length,
    alerted,
    falseAlerts,
    precision: alerted + falseAlerts === 0 ? 0 : alerted / (alerted + falseAlerts),
    recall: all.length === 0 ? 0 : alerted / all.length,
    duplicates: duplicated.reduce((total, d) => total + d.alerts - 1, 0),
    merges: merged.size,
    alertCount: newAlerts.length,
    missed,
    duplicated,
    merged: [...merged],
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export function formatBacktest(items: BacktestItem[], run: BacktestRun, quiet = false): string {
  const lines: string[] = [];
  const byId = new Map(items.map((item) => [item.id, item]));
  if (!quiet) {
    for (const alert of run.alerts) {
      const opener = byId.get(alert.itemIds[0] ?? "");
      lines.push(`${alert.at.slice(0, 16).replace("T", " ")}  ${alert.stage.padEnd(9)} ${alert.subject}`);
      if (opener && opener.title !== alert.subject)
        lines.push(`                   ${opener.lang}: ${opener.title}`);
    }
  }
  const stories = run.stories.length;
  lines.push(
    `replayed ${items.length} items: ${run.matched.size} matched, ${stories} stories, ` +
      `${run.alerts.filter((a) => a.stage === "new").length} new alerts, ${run.alerts.length} publishes, ` +
      `${run.stale} stories recorded without an alert (older than alerts.maxAgeHours)`,
  );
  if (!items.some((item) => item.development)) return lines.join("\n");
  const f = developmentFigures(items, run);
  for (const development of f.missed) lines.push(`  missed: ${development}`);
  for (const { development, alerts } of f.duplicated) lines.push(`  duplicated ×${alerts}: ${development}`);
  for (const development of f.merged) lines.push(`  merged: ${development}`);
  lines.push(
    `backtest: dev_precision=${round(f.precision)} dev_recall=${round(f.recall)} duplicates=${f.duplicates} ` +
      `merges=${f.merges} alerts=${f.alertCount}`,
  );
  return lines.join("\n");
}

export function loadBacktestItems(path: string): BacktestItem[] {
  const developments = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => (JSON.parse(line) as { development?: string | null }).development);
  return loadEvalItems(path).map((item, i) => ({ ...item, development: developments[i] ?? null }));
}

/** A backtest replays the past, so unless the config says otherwise nothing is too old to alert. */
export function backtestConfig(path: string | undefined): AppConfig {
  if (path) return loadConfigFile(path);
  return parseConfig(
    {
      // The archive stands in for the feeds; the schema wants one to be named.
      feeds: [{ id: "archive", url: "http://127.0.0.1/archive" }],
      alerts: { maxAgeHours: Number.MAX_SAFE_INTEGER },
    },
    "backtest config",
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: "string" },
      watchlist: { type: "string" },
      quiet: { type: "boolean", default: false },
    },
  });
  const path = positionals[0];
  if (!path) {
    console.error(
      "usage: npm run backtest -- <items.jsonl> [--config FILE] [--watchlist DOCUMENT.json] [--quiet]",
    );
    process.exit(2);
  }
  const items = loadBacktestItems(path);
  let config: AppConfig;
  try {
    config = backtestConfig(values.config);
    // Another story's document replaces the bundled one, as a config's watchlist in mode "replace".
    if (values.watchlist) config.watchlist = loadWatchListFile(values.watchlist);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  console.log(formatBacktest(items, replay(items, config), values.quiet));
}
