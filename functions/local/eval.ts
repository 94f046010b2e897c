// `npm run eval -- [file.jsonl]`: precision, recall and F1 of the matcher on labelled items, the
// misclassified ones with the rule that decided, and one JSON line with the figures last.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadWatchListFile } from "#shared/config/load.ts";
import { createMatcher, resolveWatchList } from "#shared/domain/match/index.ts";
import type { Matcher, MatchResult } from "#shared/domain/types.ts";

/** One labelled item, in the format of the project's devset. */
export interface EvalItem {
  id: string;
  title: string;
  summary: string;
  link?: string;
  published?: string;
  source?: string;
  lang: string;
  relevant: boolean;
}

export interface EvalMiss {
  item: EvalItem;
  result: MatchResult;
}

export interface EvalReport {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  misses: EvalMiss[];
  /** Per language, when the caller asked for it (formatReport prints them). */
  languages?: LanguageFigures[];
}

export const DEFAULT_EVAL_FILE = fileURLToPath(new URL("../../tests/fixtures/devset.jsonl", import.meta.url));

export function loadEvalItems(path: string): EvalItem[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, number }) => {
      const item = JSON.parse(line) as Partial<EvalItem>;
      if (typeof item.id !== "string" || typeof item.title !== "string" || typeof item.relevant !== "boolean")
        throw new Error(`${path}:${number}: needs at least "id", "title" and a boolean "relevant"`);
      return { ...item, summary: item.summary ?? "", lang: item.lang ?? "und" } as EvalItem;
    });
}

/** Precision and recall of the items in one language. */
export interface LanguageFigures {
  language: string;
  precision: number;
  recall: number;
  items: number;
}

export function byLanguage(items: EvalItem[], matcher: Matcher): LanguageFigures[] {
  const languages = [...new Set(items.map((item) => item.lang))].sort();
  return languages.map((language) => {
    const subset = evaluate(
      matcher,
      items.filter((item) => item.lang === language),
    );
    return {
      language,
      precision: subset.precision,
      recall: subset.recall,
      items: subset.tp + subset.fp + subset.fn + subset.tn,
    };
  });
}

export function evaluate(matcher: Matcher, items: EvalItem[]): EvalReport {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const misses: EvalMiss[] = [];
  for (const item of items) {
    const result = matcher.match({ title: item.title, summary: item.summary, language: item.lang });
    if (result.relevant && item.relevant) tp++;
    else if (result.relevant) fp++;
    else if (item.relevant) fn++;
    else tn++;
    if (result.relevant !== item.relevant) misses.push({ item, result });
  }
  // An empty denominator means nothing could go wrong on that side.
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn, tn, misses };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

export function formatReport(path: string, report: EvalReport): string {
  const lines = [
    `Evaluated ${report.tp + report.fp + report.fn + report.tn} items from ${path}`,
    `precision ${round(report.precision)}  recall ${round(report.recall)}  F1 ${round(report.f1)}`,
    `tp ${report.tp}  fp ${report.fp}  fn ${report.fn}  tn ${report.tn}`,
  ];
  for (const figures of report.languages ?? [])
    lines.push(
      `  ${figures.language}: precision ${round(figures.precision)}  recall ${round(figures.recall)}  (${figures.items} items)`,
    );
  if (report.misses.length > 0) lines.push("Misclassified:");
  for (const { item, result } of report.misses) {
    const kind = item.relevant ? "missed   " : "false hit";
    lines.push(`  ${kind} ${item.id} [${item.lang}] rule=${result.rule} — ${item.title}`);
    if (result.snippet) lines.push(`            ${result.snippet}`);
  }
  lines.push(
    JSON.stringify({
      precision: round(report.precision),
      recall: round(report.recall),
      f1: round(report.f1),
      tp: report.tp,
      fp: report.fp,
      fn: report.fn,
      tn: report.tn,
    }),
  );
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { watchlist: { type: "string" } },
  });
  const path = positionals[0] ?? DEFAULT_EVAL_FILE;
  // Another story's document (`--watchlist FILE`) replaces the bundled one.
  let matcher: Matcher;
  try {
    matcher = createMatcher(
      values.watchlist ? resolveWatchList(loadWatchListFile(values.watchlist)) : undefined,
    );
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const items = loadEvalItems(path);
  const report = evaluate(matcher, items);
  console.log(formatReport(path, { ...report, languages: byLanguage(items, matcher) }));
}
