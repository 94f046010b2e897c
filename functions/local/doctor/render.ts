// The feed doctor's human output: what a person checking a feed wants to see, one block per feed.
import type { DoctorItem, DoctorRecord } from "./examine-feed.ts";

/** Longest title shown on an item line; the JSON output keeps the whole text. */
const TITLE_CHARS = 100;

export function renderRecord(record: DoctorRecord, label: string): string[] {
  const lines = [`${label}`];
  const charset = record.charset
    ? `${record.charset.name} (from the ${charsetSource(record.charset.source)})`
    : "-";
  lines.push(
    `  HTTP ${record.status ?? "-"} · charset ${charset} · format ${record.format ?? "-"} · ` +
      `${record.items.length} items, ${record.dropped} dropped`,
  );
  if (record.error) lines.push(`  ✗ ${record.error.reason}: ${record.error.message}`);
  if (record.degraded) lines.push(`  ! degraded, ${record.degraded.reason}: ${record.degraded.message}`);
  const relevant = record.items.filter((item) => item.match.relevant).length;
  if (record.items.length > 0) lines.push(`  ${relevant} relevant, ${record.items.length - relevant} not`);
  for (const item of record.items) lines.push(...renderItem(item));
  return lines;
}

function renderItem(item: DoctorItem): string[] {
  const mark = item.match.relevant ? "✓" : "·";
  const title = item.title.length > TITLE_CHARS ? `${item.title.slice(0, TITLE_CHARS - 1)}…` : item.title;
  const verdict = item.match.relevant
    ? `relevant (${item.match.rule}; ${item.match.severity}; ${item.match.entities.join(", ")}): ${item.match.reason}`
    : `not relevant: ${item.match.reason}`;
  return [
    `  ${mark} ${item.published ?? "(no date)          "}  [${item.language}] ${title}`,
    `      id ${item.id}`,
    `      link ${item.link ?? "(none)"}`,
    `      ${verdict}`,
  ];
}

const CHARSET_SOURCES: Record<string, string> = {
  bom: "byte-order mark",
  header: "Content-Type header",
  prolog: "XML prolog",
  "utf8-valid": "bytes, valid UTF-8",
  detected: "bytes, by charset detection",
  fallback: "fallback, windows-1252",
};

function charsetSource(source: string): string {
  return CHARSET_SOURCES[source] ?? source;
}
