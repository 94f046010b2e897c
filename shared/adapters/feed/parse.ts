// Decoded text → RawFeed: RSS 0.9x / 1.0 (RDF) / 2.0 and Atom 0.3 / 1.0 through rss-parser (see
// rss-parser-tree.ts and xml-feed.ts), JSON Feed 1.x through a zod schema (json-feed.ts). Anything
// else is "not-a-feed". Malformed XML is read again leniently (xml-repair.ts): the feed comes back
// `degraded` with the reason, and only XML with nothing readable in it is a "parse-error".
import type { RawFeed } from "#shared/domain/normalize.ts";
import { prepareXmlText } from "./decode.ts";
import { parseJsonFeed } from "./json-feed.ts";
import { NotAFeedError, type ParsedTree, parseTree } from "./rss-parser-tree.ts";
import { fromTree } from "./xml-feed.ts";
import { repairXml } from "./xml-repair.ts";

/** A feed read despite malformed XML: what the strict parser objected to. */
export interface Degraded {
  reason: "malformed-xml";
  message: string;
}

export type ParseResult =
  | { ok: true; feed: RawFeed; format: "rss" | "atom" | "json"; degraded?: Degraded }
  | { ok: false; reason: "not-a-feed" | "parse-error"; message: string };

const NOT_RSS_OR_ATOM = "XML, but neither RSS nor Atom";

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
  const root = /<((?:[\w-]+:)?(?:rss|feed|RDF))[\s>]/.exec(start.slice(0, 4096))?.[1] ?? "";
  const format = root.endsWith("feed") ? "atom" : "rss";
  const xml = prepareXmlText(format === "atom" ? inlineMarkup(unprefixAtom(start)) : start);
  let tree: ParsedTree;
  try {
    tree = await parseTree(xml);
  } catch (error) {
    if (error instanceof NotAFeedError) return { ok: false, reason: "not-a-feed", message: NOT_RSS_OR_ATOM };
    return readLeniently(xml, format, firstLine(error));
  }
  return { ok: true, feed: fromTree(tree, format), format };
}

/**
 * The second reading of XML the strict parser refused. What it recovers is kept, however little,
 * and the feed is marked degraded; XML in which nothing at all is readable stays a parse-error.
 */
async function readLeniently(xml: string, format: "rss" | "atom", strictError: string): Promise<ParseResult> {
  const message = `Malformed XML: ${strictError}`;
  try {
    const tree = await parseTree(repairXml(xml));
    if (tree.entries.length === 0) return { ok: false, reason: "parse-error", message };
    return {
      ok: true,
      feed: fromTree(tree, format),
      format,
      degraded: { reason: "malformed-xml", message: `${message} (read leniently)` },
    };
  } catch (error) {
    if (error instanceof NotAFeedError) return { ok: false, reason: "not-a-feed", message: NOT_RSS_OR_ATOM };
    return { ok: false, reason: "parse-error", message };
  }
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
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

/** The Atom text constructs, whose content may be markup rather than text. */
const TEXT_CONSTRUCT =
  /<((?:[\w-]+:)?(?:content|summary|title|subtitle|tagline|rights|copyright|info))(\s[^>]*?)?(?<!\/)>([\s\S]*?)<\/\1\s*>/g;

/** The start of an element (not a CDATA section, comment or escaped `&lt;`). */
const ELEMENT_START = /<[A-Za-z]/;

/**
 * Atom text constructs that hold markup as elements (`type="xhtml"`, Atom 0.3's
 * `application/xhtml+xml` or `mode="xml"`, or markup left naked without a type), as escaped
 * HTML. xml2js groups child elements apart from the text around them and so scrambles the words
 * ("the <b>partnership</b> buys" → "the buys partnership"); as a CDATA section it stays intact,
 * and the HTML-to-text step drops what no reader sees (a <script> included).
 */
export function inlineMarkup(xml: string): string {
  return xml.replace(TEXT_CONSTRUCT, (whole, name: string, attributes: string | undefined, inner: string) => {
    if (!ELEMENT_START.test(inner.replace(CDATA_SECTION, ""))) return whole;
    const html = inner
      // Namespace prefixes (`<xhtml:p>`) mean nothing to an HTML parser.
      .replace(/<(\/?)[\w-]+:(?=[\w-])/g, "<$1")
      .replaceAll("]]>", "]]]]><![CDATA[>");
    const kept = (attributes ?? "").replace(/\s(?:type|mode)\s*=\s*(["'])[^"']*\1/g, "");
    return `<${name}${kept} type="html"><![CDATA[${html}]]></${name}>`;
  });
}

const CDATA_SECTION = /<!\[CDATA\[[\s\S]*?\]\]>/g;

/** The first element of the document, after the prolog, comments and a DOCTYPE. */
const ROOT_ELEMENT =
  /^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE(?:[^[>]*\[[\s\S]*?\]\s*>|[^>]*>)\s*)*<([A-Za-z][\w:.-]*)/i;

function looksLikeHtml(start: string): boolean {
  const root = ROOT_ELEMENT.exec(start.slice(0, 4096))?.[1]?.toLowerCase();
  // An XHTML DOCTYPE in front of <rss> (a CMS template's) does not make the feed a page.
  if (root) return root === "html" || root === "head" || root === "body";
  return /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<!doctype\s+html/i.test(start.slice(0, 512));
}

function looksLikeJson(start: string, contentType?: string): boolean {
  if (start.startsWith("{")) return true;
  return /\bjson\b/i.test(contentType ?? "") && !start.startsWith("<");
}

function describe(start: string): string {
  const preview = start.slice(0, 40).replace(/\s+/g, " ");
  return preview ? `starts with "${preview}"` : "empty body";
}
