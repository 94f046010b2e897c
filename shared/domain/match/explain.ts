// How a verdict explains itself: the sentence with the evidence, hits marked «»; or, for an item
// that did not match, the words around its first hit.
import type { MatchResult } from "../types.ts";
import type { FieldScan, Hit } from "./compiled.ts";
import { SCORE } from "./scores.ts";
import { splitSentences } from "./sentences.ts";

export const SNIPPET_MAX = 280;

export function snippetOf(fields: FieldScan[], hits: readonly Hit[], sentence: number | undefined): string {
  const chosen = hits.filter((hit) => hit.sentence === sentence);
  const anchor = chosen[0] ?? hits[0];
  const field = fields.find((f) => f.field === (anchor?.field ?? "title")) as FieldScan;
  if (!anchor) return field.text.slice(0, SNIPPET_MAX);
  const marks = (chosen.length ? chosen : [anchor]).filter((hit) => hit.field === field.field);
  const bounds =
    field.field === "title"
      ? { start: 0, end: field.text.length }
      : (splitSentences(field.text).find((s) => anchor.start < s.end) ?? {
          start: 0,
          end: field.text.length,
        });
  let { start, end } = bounds;
  if (end - start > SNIPPET_MAX) {
    const first = Math.min(...marks.map((m) => m.start));
    start = Math.max(start, first - 80);
    end = Math.min(end, start + SNIPPET_MAX);
  }
  // Merge overlapping hits (the same words can name an entity and a topic) into one mark.
  const spans: { start: number; end: number }[] = [];
  for (const hit of [...marks].sort((a, b) => a.start - b.start)) {
    if (hit.start < start || hit.end > end) continue;
    const last = spans[spans.length - 1];
    if (last && hit.start < last.end) last.end = Math.max(last.end, hit.end);
    else spans.push({ start: hit.start, end: hit.end });
  }
  let out = "";
  let cursor = start;
  for (const span of spans) {
    out += `${field.text.slice(cursor, span.start)}«${field.text.slice(span.start, span.end)}»`;
    cursor = span.end;
  }
  out += field.text.slice(cursor, end);
  return `${start > bounds.start ? "…" : ""}${out.trim()}${end < bounds.end ? "…" : ""}`;
}

/** For items that did not match: the words around the first hit, without sentence analysis. */
export function glimpseOf(field: FieldScan): string {
  const first = field.hits[0];
  if (!first) return field.text.slice(0, SNIPPET_MAX);
  const start = Math.max(0, first.start - 100);
  const end = Math.min(field.text.length, first.end + 100);
  const marked = `${field.text.slice(start, first.start)}«${field.text.slice(first.start, first.end)}»${field.text.slice(first.end, end)}`;
  return `${start > 0 ? "…" : ""}${marked.trim()}${end < field.text.length ? "…" : ""}`;
}

export function nothingFound(title: string): MatchResult {
  return {
    relevant: false,
    score: SCORE.none,
    severity: "normal",
    entities: [],
    hits: [],
    rule: "no-sides",
    snippet: title.length > SNIPPET_MAX ? `${title.slice(0, SNIPPET_MAX).trimEnd()}…` : title,
  };
}
