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
    parseItemRss(xmlItem: XmlNode, itemFields: unknown): RssParserItem;
    buildRSS0_9(xml: { rss: XmlNode }): RssParserFeed;
    buildRSS2(xml: { rss: XmlNode }): RssParserFeed;
    buildRSS1(xml: { "rdf:RDF": XmlNode }): RssParserFeed;
  };
  // Hand-rolled generators put <item>s beside <channel> instead of inside it, or write no
  // <channel> at all; rss-parser reads only channel[0].item (and throws without a channel).
  for (const method of ["buildRSS0_9", "buildRSS2"] as const) {
    const build = internals[method].bind(parser);
    internals[method] = (xml) => build({ ...xml, rss: withItemsInChannel(xml.rss) });
  }
  const buildRSS1 = internals.buildRSS1.bind(parser);
  internals.buildRSS1 = (xml) => {
    const rdf = xml["rdf:RDF"];
    return buildRSS1({ ...xml, "rdf:RDF": { ...rdf, channel: rdf.channel ?? [{}] } });
  };
  const parseItemAtom = internals.parseItemAtom.bind(parser);
  internals.parseItemAtom = (entry) => {
    // Atom 0.3, still served by old blog engines, names the dates issued/created and modified.
    const { published, updated, issued, created, modified, ...rest } = entry;
    const item = parseItemAtom(rest);
    for (const key of ["title", "summary", "content"] as const) {
      const value = item[key];
      if (typeof value === "string") item[key] = asMarkup(value, constructType(entry[key]));
    }
    item.rawPublished = firstText(published) ?? firstText(issued) ?? firstText(created);
    item.rawUpdated = firstText(updated) ?? firstText(modified) ?? firstText(entry["dc:date"]);
    item.xmlLang = attribute(entry, "xml:lang");
    item.xmlBase = attribute(entry, "xml:base");
    // rss-parser falls back to the first <link> whatever its rel: a self, edit or replies link.
    item.link = articleLink(entry.link);
    item.origLink = firstText(entry["feedburner:origLink"]);
    Object.assign(item, mediaFields(entry));
    return item;
  };
  const buildAtomFeed = internals.buildAtomFeed.bind(parser);
  internals.buildAtomFeed = (xml) => {
    const feed = buildAtomFeed(xml);
    feed.xmlLang = attribute(xml.feed, "xml:lang");
    feed.xmlBase = attribute(xml.feed, "xml:base");
    feed.link = articleLink(xml.feed.link);
    return feed;
  };
  const parseItemRss = internals.parseItemRss.bind(parser);
  internals.parseItemRss = (xmlItem, itemFields) => {
    const item = parseItemRss(xmlItem, itemFields);
    const guid = Array.isArray(xmlItem.guid) ? (xmlItem.guid[0] as XmlNode | string) : undefined;
    const isPermaLink = typeof guid === "object" ? attribute(guid, "isPermaLink") : undefined;
    if (isPermaLink !== undefined) item.guidIsPermaLink = isPermaLink.trim().toLowerCase() !== "false";
    // FeedBurner rewrites <link> to its click-counting proxy and keeps the publisher's URL here.
    item.origLink = firstText(xmlItem["feedburner:origLink"]);
    item.itunesSummary = firstText(xmlItem["itunes:summary"]) ?? firstText(xmlItem["itunes:subtitle"]);
    // Russian publishers (RIA, TASS, Interfax) write the article body for Yandex News into
    // yandex:full-text and often leave <description> out; Yandex Turbo feeds carry the article
    // only as turbo:content.
    item.yandexFullText = firstText(xmlItem["yandex:full-text"]) ?? firstText(xmlItem["turbo:content"]);
    // <link href="…"/> (Atom habits in RSS) and .NET's <a10:link> carry the link as an attribute.
    if (!nonBlank(text(item.link)))
      item.link = articleLink(xmlItem.link) ?? articleLink(atomChild(xmlItem, "link"));
    // Without pubDate or dc:date, .NET's SyndicationFeed writes <a10:updated>; others use
    // atom:published or Dublin Core terms.
    item.rawPublished =
      firstText(atomChild(xmlItem, "published")) ??
      firstText(xmlItem["dcterms:issued"]) ??
      firstText(xmlItem["dcterms:created"]);
    item.rawUpdated = firstText(atomChild(xmlItem, "updated")) ?? firstText(xmlItem["dcterms:modified"]);
    Object.assign(item, mediaFields(xmlItem));
    // Google News and other aggregators name the outlet an item came from.
    item.sourceElement = sourceOf(xmlItem.source);
    return item;
  };
  return parser;
}

function withItemsInChannel(root: XmlNode): XmlNode {
  const channels = Array.isArray(root.channel) ? (root.channel as XmlNode[]) : [];
  const [first = {}, ...rest] = channels;
  const strayItems = Array.isArray(root.item) ? (root.item as XmlNode[]) : [];
  if (channels.length > 0 && strayItems.length === 0) return root;
  const channelItems = Array.isArray(first.item) ? (first.item as XmlNode[]) : [];
  return { ...root, channel: [{ ...first, item: [...channelItems, ...strayItems] }, ...rest] };
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
    parsed = await rssParser.parseString(prepareXmlText(inlineXhtml(unprefixAtom(start))));
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
    base: text(feed.xmlBase),
    language: text(feed.language) ?? text(feed.dcLanguage) ?? text(feed.xmlLang),
    items: (feed.items ?? []).map((item): RawFeedItem => {
      const isAtom = item.atomContent !== undefined;
      return {
        guid: text(item.guid) ?? text(item.id) ?? text(item["rdf:about"]),
        ...(typeof item.guidIsPermaLink === "boolean" ? { guidIsPermaLink: item.guidIsPermaLink } : {}),
        link: nonBlank(text(item.origLink)) ?? text(item.link),
        base: text(item.xmlBase),
        title: nonBlank(text(item.title) ?? flattenText(item.title)) ?? text(item.mediaTitle),
        // RSS <description> arrives as `content`, Atom <summary> as `summary`; the long forms are
        // content:encoded and Atom <content>. Podcasts and video feeds often describe an entry
        // only in itunes:summary or media:description.
        summaryHtml: nonBlank(text(item.summary) ?? (isAtom ? undefined : text(item.content))),
        contentHtml:
          nonBlank(text(item["content:encoded"]) ?? (isAtom ? text(item.content) : undefined)) ??
          nonBlank(text(item.itunesSummary)) ??
          nonBlank(text(item.yandexFullText)) ??
          text(item.mediaDescription),
        published: text(item.pubDate) ?? text(item.rawPublished),
        updated: text(item.date) ?? text(item.rawUpdated),
        language: text(item.language) ?? text(item.xmlLang),
        ...(item.sourceElement ? { source: item.sourceElement as RawFeedItem["source"] } : {}),
      };
    }),
  };
}

/** A child in the Atom namespace under whatever prefix the document chose (atom:, a10:, …). */
function atomChild(node: XmlNode, localName: string): unknown {
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith(`:${localName}`) && /^(?:atom|a10|atom10):/.test(key)) return value;
  }
  return undefined;
}

function nonBlank(value: string | undefined): string | undefined {
  return value?.trim() ? value : undefined;
}

/**
 * An Atom document whose elements carry a prefix (`<atom:feed xmlns:atom="…/2005/Atom">`) is
 * valid Atom that rss-parser, matching on element names, does not recognise: drop the prefix.
 */
export function unprefixAtom(xml: string): string {
  const root = /^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*<([\w.-]+):feed[\s>]/.exec(xml);
  const prefix = root?.[1];
  if (!prefix) return xml;
  const escaped = prefix.replace(/[.-]/g, "\\$&");
  const declared = new RegExp(`xmlns:${escaped}\\s*=\\s*["']http://www\\.w3\\.org/2005/Atom["']`);
  if (!declared.test(xml)) return xml;
  return xml.replace(new RegExp(`<(/?)${escaped}:`, "g"), "<$1");
}

/** Atom link relations that never point at the entry's own page. */
const NON_ARTICLE_RELS = new Set([
  "self",
  "edit",
  "edit-media",
  "replies",
  "enclosure",
  "hub",
  "license",
  "via",
  "related",
  "first",
  "last",
  "next",
  "previous",
  "prev",
  "payment",
  "search",
]);

/**
 * The Atom link to the entry's page: rel="alternate" (or no rel, which means alternate), HTML
 * preferred over other media types; failing that, any link whose relation is not known to point
 * elsewhere. Extension relations (URIs such as Blogger's `…#feed`) never qualify.
 */
function articleLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  const candidates = links.flatMap((link) => {
    const node = typeof link === "object" && link !== null ? (link as XmlNode) : undefined;
    const href = attribute(node, "href") ?? (typeof link === "string" ? link : undefined);
    if (!href?.trim()) return [];
    const rel = (attribute(node, "rel") ?? "alternate").trim().toLowerCase();
    const type = attribute(node, "type")?.trim().toLowerCase();
    return [{ href, rel, type }];
  });
  const alternates = candidates.filter((link) => link.rel === "alternate");
  const chosen =
    alternates.find((link) => !link.type || link.type.includes("html")) ??
    alternates[0] ??
    candidates.find((link) => !NON_ARTICLE_RELS.has(link.rel) && !link.rel.includes(":"));
  return chosen?.href;
}

/** Media RSS title and description, directly on the item, in a media:group or a media:content. */
function mediaFields(node: XmlNode): { mediaTitle?: string; mediaDescription?: string } {
  const holders: XmlNode[] = [node];
  for (const key of ["media:group", "media:content"]) {
    const children = node[key];
    if (Array.isArray(children)) {
      for (const child of children) {
        if (child && typeof child === "object") {
          holders.push(child as XmlNode);
          const nested = (child as XmlNode)["media:content"];
          if (Array.isArray(nested))
            holders.push(...nested.filter((n): n is XmlNode => typeof n === "object"));
        }
      }
    }
  }
  const find = (key: string) => {
    for (const holder of holders) {
      const value = nonBlank(firstText(holder[key]));
      if (value) return value;
    }
    return undefined;
  };
  const mediaTitle = find("media:title");
  const mediaDescription = find("media:description");
  return { ...(mediaTitle ? { mediaTitle } : {}), ...(mediaDescription ? { mediaDescription } : {}) };
}

/**
 * Atom `type="xhtml"` text constructs as escaped HTML. rss-parser rebuilds inline XHTML through
 * xml2js, which groups child elements apart from the text around them and so scrambles the words
 * ("the <b>partnership</b> buys" → "the buys partnership"); as a CDATA section it stays intact.
 */
const XHTML_CONSTRUCT =
  /<((?:[\w-]+:)?(?:content|summary|title|subtitle|rights))(\s[^>]*?\btype\s*=\s*["']xhtml["'](?:[^>]*[^>/])?)>([\s\S]*?)<\/\1\s*>/g;

export function inlineXhtml(xml: string): string {
  if (!/type\s*=\s*["']xhtml["']/.test(xml)) return xml;
  return xml.replace(XHTML_CONSTRUCT, (_whole, name: string, attributes: string, inner: string) => {
    const html = inner
      // Namespace prefixes (`<xhtml:p>`) mean nothing to an HTML parser.
      .replace(/<(\/?)[\w-]+:(?=[\w-])/g, "<$1")
      .replaceAll("]]>", "]]]]><![CDATA[>");
    const type = attributes.replace(/\btype\s*=\s*["']xhtml["']/, 'type="html"');
    return `<${name}${type}><![CDATA[${html}]]></${name}>`;
  });
}

/** The `type` of an Atom text construct, lower-cased; undefined when it does not say. */
function constructType(value: unknown): string | undefined {
  const node = Array.isArray(value) ? value[0] : value;
  return typeof node === "object" && node !== null
    ? attribute(node as XmlNode, "type")
        ?.trim()
        .toLowerCase()
    : undefined;
}

/** End tags, void elements or entity references that only escaped HTML would contain. */
const LOOKS_LIKE_HTML =
  /<\/(?:p|div|span|a|b|i|em|strong|ul|ol|li|h[1-6]|table|blockquote)\s*>|<(?:br|hr|img)\b[^<>]*>|&(?:#\d{1,7}|#x[\da-f]{1,6}|[a-z][a-z\d]{1,31});/i;

/**
 * An Atom text construct as the HTML the normalizer reads. `type="text"` is literal text (its
 * entities were decoded once by the XML parser), so it is escaped to survive the HTML-to-text
 * step: "a&lt;b" stays "a<b". Without a type the spec also means text, but publishers routinely
 * put escaped HTML there (reddit escapes titles twice); like feedparser, text holding HTML tags or
 * entity references is read as HTML.
 */
function asMarkup(value: string, type: string | undefined): string {
  if (type === "text" || type === "text/plain") return escapeHtml(value);
  if (type === undefined) return LOOKS_LIKE_HTML.test(value) ? value : escapeHtml(value);
  return value;
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
      guid: data.id,
      link: nonBlank(data.url) ?? data.external_url,
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

/** RSS <source url="https://www.reuters.com">Reuters</source> → its name and URL. */
function sourceOf(node: unknown): RawFeedItem["source"] | undefined {
  const first = Array.isArray(node) ? (node[0] as XmlNode | string | undefined) : undefined;
  if (first === undefined) return undefined;
  const name = nonBlank(typeof first === "string" ? first : text(first._));
  const url = typeof first === "object" ? nonBlank(attribute(first, "url")) : undefined;
  if (!name && !url) return undefined;
  return { ...(name ? { name } : {}), ...(url ? { url } : {}) };
}
