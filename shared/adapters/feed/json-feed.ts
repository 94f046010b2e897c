// JSON Feed 1.0 / 1.1 (https://www.jsonfeed.org/version/1.1/) → RawFeed, through one zod schema
// per shape; one malformed entry costs only that entry.
import * as z from "zod";
import type { RawFeedItem } from "#shared/domain/normalize.ts";
import type { ParseResult } from "./parse.ts";

/** A text field that may arrive as a number; anything else unusable costs only that field. */
const jsonText = z
  .union([z.string(), z.number()])
  .transform((value) => String(value))
  .optional()
  .catch(undefined);

/**
 * A JSON Feed date: RFC 3339 text per the spec, but generators also write Unix time, as a number
 * or as a string of digits (seconds, or milliseconds when 12+ digits). Those become ISO text here,
 * where they cannot be mistaken for anything else.
 */
const jsonDate = jsonText.transform((value) =>
  value && /^\d{9,13}$/.test(value) ? fromUnixTime(Number(value)) : value,
);

function fromUnixTime(value: number): string | undefined {
  const date = new Date(value >= 1e11 ? value : value * 1000);
  const year = date.getUTCFullYear();
  return year >= 1990 && year <= 2200 ? date.toISOString() : undefined;
}

const JsonFeedItemSchema = z
  .object({
    id: jsonText,
    url: jsonText,
    external_url: jsonText,
    title: jsonText,
    summary: jsonText,
    content_html: jsonText,
    content_text: jsonText,
    date_published: jsonDate,
    date_modified: jsonDate,
    language: jsonText,
  })
  .loose();

const JsonFeedSchema = z
  .object({
    version: z
      .string()
      .regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/, "not a jsonfeed.org version"),
    title: z.string().optional().catch(undefined),
    home_page_url: z.string().optional().catch(undefined),
    language: z.string().optional().catch(undefined),
    // One malformed entry must not sink the others: items are validated one by one below.
    items: z.array(z.unknown()),
  })
  .loose();

export function parseJsonFeed(source: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    return { ok: false, reason: "parse-error", message: `Malformed JSON: ${(error as Error).message}` };
  }
  const feed = JsonFeedSchema.safeParse(json);
  if (!feed.success) {
    const issue = feed.error.issues[0];
    return {
      ok: false,
      reason: "not-a-feed",
      message: `JSON, but not a JSON Feed (${issue ? `${issue.path.join(".") || "root"}: ${issue.message}` : "invalid"})`,
    };
  }
  const items: RawFeedItem[] = [];
  for (const entry of feed.data.items) {
    const item = JsonFeedItemSchema.safeParse(entry);
    if (!item.success) {
      // An entry with nothing in it: normalization drops it and counts it as dropped.
      items.push({});
      continue;
    }
    const { data } = item;
    items.push({
      guid: data.id,
      link: data.url?.trim() ? data.url : data.external_url,
      title: data.title,
      summaryHtml: data.summary,
      contentHtml:
        data.content_html ?? (data.content_text === undefined ? undefined : escapeHtml(data.content_text)),
      published: data.date_published,
      updated: data.date_modified,
      language: data.language,
    });
  }
  return {
    ok: true,
    format: "json",
    feed: { link: feed.data.home_page_url, language: feed.data.language, items },
  };
}

/** content_text is plain text: escape it so the HTML-to-text step leaves it as written. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}
