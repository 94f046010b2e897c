// Decoded text → RawFeed: RSS 0.9x / 1.0 (RDF) / 2.0 and Atom 1.0 through rss-parser's parseString,
// JSON Feed 1.x through a zod schema. Anything else is "not-a-feed"; broken XML is "parse-error".
import Parser from "rss-parser";
import { z } from "zod";
import type { RawFeed, RawFeedItem } from "#shared/domain/normalize.ts";
import { prepareXmlText } from "./decode.ts";

export type ParseResult =
  | { ok: true; feed: RawFeed; format: "rss" | "atom" | "json" }
  | { ok: false; reason: "not-a-feed" | "parse-error"; message: string };

type RssParserItem = Record<string, unknown>;
type RssParserFeed = Record<string, unknown> & { items?: RssParserItem[] };
type XmlNode = Record<string, unknown>;

const FEED_FIELDS = [["dc:language", "dcLanguage"]] as const;
const ITEM_FIELDS = [["content", "atomContent"]] as const;

function createParser(): Parser<RssParserFeed, RssParserItem> {
  const parser = new Parser<RssParserFeed, RssParserItem>({
    // An <rss> without a version attribute is in the wild often enough; read it as RSS 2.0.
    defaultRSS: 2,
    customFields: {
      feed: FEED_FIELDS.map(([from, to]) => [from, to]) as unknown as string[],
      item: ITEM_FIELDS.map(([from, to]) => [from, to]) as unknown as string[],
    },
  });
  // rss-parser turns an Atom <published>/<updated> into a Date and calls toISOString() on it, which
  // throws for any unreadable date and fails the whole feed; keep the raw text aside instead, so
  // the one bad date costs only that item's date.
  const internals = parser as unknown as {
    parseItemAtom(entry: XmlNode): RssParserItem;
    buildAtomFeed(xml: { feed: XmlNode }): RssParserFeed;
  };
  const parseItemAtom = internals.parseItemAtom.bind(parser);
  internals.parseItemAtom = (entry) => {
    const { published, updated, ...rest } = entry;
    const item = parseItemAtom(rest);
    item.rawPublished = firstText(published);
    item.rawUpdated = firstText(updated);
    item.xmlLang = attribute(entry, "xml:lang");
    return item;
  };
  const buildAtomFeed = internals.buildAtomFeed.bind(parser);
  internals.buildAtomFeed = (xml) => {
    const feed = buildAtomFeed(xml);
    feed.xmlLang = attribute(xml.feed, "xml:lang");
    return feed;
  };
  return parser;
}

// One parser per module: it holds no per-document state between parseString calls.
const rssParser = createParser();

export async function parseFeed(text: string, contentType?: string): Promise<ParseResult> {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (looksLikeJson(start, contentType)) return parseJsonFeed(start);
  if (looksLikeHtml(start)) {
    return { ok: false, reason: "not-a-feed", message: "The response is an HTML page, not a feed" };
  }
  if (!start.startsWith("<")) {
    return {
      ok: false,
      reason: "not-a-feed",
      message: `The response is not XML or JSON (${describe(start)})`,
    };
  }
  let parsed: RssParserFeed;
  try {
    parsed = await rssParser.parseString(prepareXmlText(start));
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    if (/not recognized as RSS/i.test(message)) {
      return { ok: false, reason: "not-a-feed", message: "XML, but neither RSS nor Atom" };
    }
    return { ok: false, reason: "parse-error", message: `Malformed XML: ${message}` };
  }
  const root = /<((?:[\w-]+:)?(?:rss|feed|RDF))[\s>]/.exec(start.slice(0, 4096))?.[1] ?? "";
  return { ok: true, feed: fromRssParser(parsed), format: root.endsWith("feed") ? "atom" : "rss" };
}

function fromRssParser(feed: RssParserFeed): RawFeed {
  return {
    link: text(feed.link),
    language: text(feed.language) ?? text(feed.dcLanguage) ?? text(feed.xmlLang),
    items: (feed.items ?? []).map(
      (item): RawFeedItem => ({
        guid: text(item.guid) ?? text(item.id) ?? text(item["rdf:about"]),
        link: text(item.link),
        title: text(item.title) ?? flattenText(item.title),
        // RSS <description> arrives as `content`, Atom <summary> as `summary`; the long forms are
        // content:encoded and Atom <content>.
        summaryHtml: text(item.summary) ?? (item.atomContent === undefined ? text(item.content) : undefined),
        contentHtml:
          text(item["content:encoded"]) ?? (item.atomContent !== undefined ? text(item.content) : undefined),
        published: text(item.pubDate) ?? text(item.rawPublished),
        updated: text(item.date) ?? text(item.rawUpdated),
        language: text(item.language) ?? text(item.xmlLang),
      }),
    ),
  };
}

/** rss-parser hands back strings, `{ _: text }` objects or nested XML; only real text counts. */
function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (value && typeof value === "object" && typeof (value as { _?: unknown })._ === "string") {
    return (value as { _: string })._;
  }
  return undefined;
}

/** All text inside an XML subtree, e.g. an Atom `type="xhtml"` title that arrives as nested nodes. */
function flattenText(value: unknown, depth = 0): string | undefined {
  if (depth > 20 || value === null || value === undefined) return undefined;
  if (typeof value === "string") return value;
  const parts: string[] = [];
  const children = Array.isArray(value) ? value : Object.entries(value as Record<string, unknown>);
  for (const child of children) {
    const [key, node] = Array.isArray(value) ? [undefined, child] : (child as [string, unknown]);
    if (key === "$") continue;
    const part = flattenText(node, depth + 1);
    if (part) parts.push(part);
  }
  return parts.length > 0 ? parts.join(" ") : undefined;
}

function firstText(value: unknown): string | undefined {
  return Array.isArray(value) ? text(value[0]) : text(value);
}

function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const attributes = node?.$;
  if (!attributes || typeof attributes !== "object") return undefined;
  return text((attributes as Record<string, unknown>)[name]);
}

function looksLikeHtml(start: string): boolean {
  const head = start.slice(0, 512).toLowerCase();
  return /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/.test(
    head,
  );
}

function looksLikeJson(start: string, contentType?: string): boolean {
  if (start.startsWith("{")) return true;
  return /\bjson\b/i.test(contentType ?? "") && !start.startsWith("<");
}

function describe(start: string): string {
  const preview = start.slice(0, 40).replace(/\s+/g, " ");
  return preview ? `starts with "${preview}"` : "empty body";
}

// ---------------------------------------------------------------------------------------------
// JSON Feed 1.0 / 1.1 (https://www.jsonfeed.org/version/1.1/)

const JsonFeedItemSchema = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    url: z.string().optional(),
    external_url: z.string().optional(),
    title: z.string().optional(),
    summary: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    date_published: z.string().optional(),
    date_modified: z.string().optional(),
    language: z.string().optional(),
  })
  .loose();

const JsonFeedSchema = z
  .object({
    version: z
      .string()
      .regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/, "not a jsonfeed.org version"),
    title: z.string().optional(),
    home_page_url: z.string().optional(),
    language: z.string().optional(),
    // One malformed entry must not sink the others: items are validated one by one below.
    items: z.array(z.unknown()),
  })
  .loose();

function parseJsonFeed(source: string): ParseResult {
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
      guid: data.id === undefined ? undefined : String(data.id),
      link: data.url ?? data.external_url,
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
function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}
