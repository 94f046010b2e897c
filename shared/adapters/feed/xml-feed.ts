// RSS 0.9x / 1.0 (RDF) / 2.0 and Atom 0.3 / 1.0 entries, as rss-parser-tree.ts hands them over
// (each element as xml2js read it), → RawFeed. All field choices are ours.
import type { RawFeed, RawFeedItem } from "#shared/domain/normalize.ts";
import { escapeHtml } from "./json-feed.ts";
import type { ParsedTree, XmlNode } from "./rss-parser-tree.ts";

export function fromTree(tree: ParsedTree, format: "rss" | "atom"): RawFeed {
  const { channel, rootAttributes } = tree;
  const isAtom = format === "atom";
  return {
    link: isAtom
      ? articleLink(channel.link)
      : (firstText(channel.link) ?? articleLink(atomChild(channel, "link"))),
    base: rootAttributes["xml:base"] ?? attribute(channel, "xml:base"),
    language:
      firstText(channel.language) ??
      firstText(channel["dc:language"]) ??
      rootAttributes["xml:lang"] ??
      attribute(channel, "xml:lang"),
    items: tree.entries.map(isAtom ? fromAtomEntry : fromRssItem),
  };
}

function fromAtomEntry(entry: XmlNode): RawFeedItem {
  const title = textConstruct(entry.title);
  const summary = textConstruct(entry.summary);
  const content = textConstruct(entry.content);
  const escapedOnce = (
    [
      ["title", title],
      ["summaryHtml", summary],
      ["contentHtml", content],
    ] as const
  ).flatMap(([field, construct]) => (construct?.text ? [field] : []));
  return {
    guid: firstText(entry.id),
    guidIsIri: true,
    // rss-parser's own choice would be the first <link> whatever its rel: a self, edit or replies link.
    link: nonBlank(firstText(entry["feedburner:origLink"])) ?? articleLink(entry.link),
    base: attribute(entry, "xml:base"),
    title: nonBlank(title?.html) ?? mediaFields(entry).mediaTitle,
    summaryHtml: nonBlank(summary?.html),
    contentHtml: nonBlank(content?.html) ?? mediaFields(entry).mediaDescription,
    ...(escapedOnce.length > 0 ? { escapedOnce } : {}),
    // Atom 0.3, still served by old blog engines, names the dates issued/created and modified.
    published: firstText(entry.published) ?? firstText(entry.issued) ?? firstText(entry.created),
    updated: firstText(entry.updated) ?? firstText(entry.modified) ?? firstText(entry["dc:date"]),
    language: attribute(entry, "xml:lang"),
  };
}

function fromRssItem(item: XmlNode): RawFeedItem {
  const guidNode = Array.isArray(item.guid) ? (item.guid[0] as unknown) : undefined;
  const isPermaLink =
    typeof guidNode === "object" ? attribute(guidNode as XmlNode, "isPermaLink") : undefined;
  const media = mediaFields(item);
  return {
    guid: firstText(item.guid) ?? attribute(item, "rdf:about"),
    ...(isPermaLink === undefined ? {} : { guidIsPermaLink: isPermaLink.trim().toLowerCase() !== "false" }),
    // FeedBurner rewrites <link> to its click-counting proxy and keeps the publisher's URL here.
    // <link href="…"/> (Atom habits in RSS) and .NET's <a10:link> carry the link as an attribute.
    link:
      nonBlank(firstText(item["feedburner:origLink"])) ??
      nonBlank(firstText(item.link)) ??
      articleLink(item.link) ??
      articleLink(atomChild(item, "link")),
    base: attribute(item, "xml:base"),
    title:
      nonBlank(firstText(item.title) ?? flattenText(item.title)) ??
      nonBlank(firstText(item["dc:title"])) ??
      media.mediaTitle,
    summaryHtml: nonBlank(
      firstText(item.summary) ?? contentText(item.description) ?? firstText(item["dc:description"]),
    ),
    // The long forms: content:encoded; podcasts and video feeds often describe an entry only in
    // itunes:summary or media:description. Russian publishers (RIA, TASS, Interfax) write the
    // article for Yandex News into yandex:full-text; Yandex Turbo feeds carry it as turbo:content.
    contentHtml:
      nonBlank(contentText(item["content:encoded"])) ??
      nonBlank(firstText(item["itunes:summary"]) ?? firstText(item["itunes:subtitle"])) ??
      nonBlank(firstText(item["yandex:full-text"]) ?? firstText(item["turbo:content"])) ??
      media.mediaDescription,
    // Without pubDate or dc:date, .NET's SyndicationFeed writes <a10:updated>; others use
    // atom:published or Dublin Core terms.
    published:
      firstText(item.pubDate) ??
      firstText(atomChild(item, "published")) ??
      firstText(item["dcterms:issued"]) ??
      firstText(item["dcterms:created"]),
    updated:
      firstText(item["dc:date"]) ??
      firstText(atomChild(item, "updated")) ??
      firstText(item["dcterms:modified"]),
    language: firstText(item["dc:language"]) ?? attribute(item, "xml:lang"),
    // Google News and other aggregators name the outlet an item came from.
    ...sourceOf(item.source),
  };
}

/** RSS <source url="https://www.reuters.com">Reuters</source> → its name and URL. */
function sourceOf(node: unknown): Pick<RawFeedItem, "source"> {
  const first = Array.isArray(node) ? (node[0] as XmlNode | string | undefined) : undefined;
  if (first === undefined) return {};
  const name = nonBlank(typeof first === "string" ? first : text(first._));
  const url = typeof first === "object" ? nonBlank(attribute(first, "url")) : undefined;
  if (!name && !url) return {};
  return { source: { ...(name ? { name } : {}), ...(url ? { url } : {}) } };
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
 * elsewhere. Extension relations (URIs such as Blogger's `…#feed`) never qualify. Old Atom 0.3
 * writers put the URL in the element's text instead of href.
 */
function articleLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  const candidates = links.flatMap((link) => {
    const node = typeof link === "object" && link !== null ? (link as XmlNode) : undefined;
    const href = nonBlank(attribute(node, "href")) ?? text(link);
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

/** End tags, void elements or entity references that only escaped HTML would contain. */
const LOOKS_LIKE_HTML =
  /<\/(?:p|div|span|a|b|i|em|strong|ul|ol|li|h[1-6]|table|blockquote)\s*>|<(?:br|hr|img)\b[^<>]*>|&(?:#\d{1,7}|#x[\da-f]{1,6}|[a-z][a-z\d]{1,31});/i;

/**
 * An Atom text construct as the HTML the normalizer reads. `type="text"` is literal text (its
 * entities were decoded once by the XML parser), so it is escaped to survive the HTML-to-text
 * step: "a&lt;b" stays "a<b". Without a type the spec also means text, but publishers routinely
 * put escaped HTML there (reddit escapes titles twice); like feedparser, text holding HTML tags or
 * entity references is read as HTML. Base64 content (Atom 0.3 mode="base64", or an Atom 1.0
 * media type that is not text) is decoded first.
 */
function textConstruct(value: unknown): { html: string; text: boolean } | undefined {
  const node = Array.isArray(value) ? (value[0] as unknown) : value;
  const raw = text(node) ?? flattenText(node);
  if (raw === undefined) return undefined;
  const element = typeof node === "object" && node !== null ? (node as XmlNode) : undefined;
  const type = attribute(element, "type")?.trim().toLowerCase();
  const base64 = attribute(element, "mode")?.trim().toLowerCase() === "base64" || isBinaryType(type);
  if (base64) {
    // Decoded, it is HTML only when the type says so; any other media type is shown as text.
    const decoded = fromBase64(raw);
    if (decoded === undefined) return undefined;
    return type && HTML_TYPES.has(type) ? { html: decoded, text: false } : plainText(decoded);
  }
  if (type === "text" || type === "text/plain") return plainText(raw);
  if (type === undefined && !LOOKS_LIKE_HTML.test(raw)) return plainText(raw);
  return { html: raw, text: false };
}

function plainText(value: string): { html: string; text: true } {
  return { html: escapeHtml(value), text: true };
}

const HTML_TYPES = new Set(["html", "text/html", "xhtml", "application/xhtml+xml"]);

/** An Atom 1.0 `type` that is a media type other than text or XML: the content is base64. */
function isBinaryType(type: string | undefined): boolean {
  return !!type && type.includes("/") && !type.startsWith("text/") && !/[/+]xml$/.test(type);
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Base64 text as the UTF-8 text it encodes; undefined for binary data (an image, say). */
function fromBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  try {
    return STRICT_UTF8.decode(Buffer.from(compact, "base64"));
  } catch {
    return undefined;
  }
}

/** RSS <description> as HTML: its text, or child elements a writer left unescaped. */
function contentText(value: unknown): string | undefined {
  const node = Array.isArray(value) ? (value[0] as unknown) : value;
  return text(node) ?? flattenText(node);
}

/** xml2js hands back strings, `{ _: text }` objects or nested XML; only real text counts. */
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
