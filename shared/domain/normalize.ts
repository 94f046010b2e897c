// Parsed feed entries → NewsItem: stable ids, canonical http(s) links, plain text, UTC dates and a
// language. Pure: no I/O, nothing from AWS, deterministic for a given input.
import { createHash } from "node:crypto";
import { Parser as HtmlParser } from "htmlparser2";
import { KOREAN_DATE_WORDS } from "./language/korean.ts";
import { MONTH_NAMES } from "./language/months.ts";
import type { NewsItem } from "./types.ts";

/** One entry as a parser read it: every field is untrusted text (HTML allowed where noted). */
export interface RawFeedItem {
  /** RSS <guid>, Atom <id>, RDF about, JSON Feed id. */
  guid?: string;
  /** RSS `isPermaLink`: false says the GUID, even when it looks like a URL, is not the item's page. */
  guidIsPermaLink?: boolean;
  /** Atom's <id> is an IRI (RFC 4287, 4.2.6): one written as a path is relative to the base. */
  guidIsIri?: boolean;
  link?: string;
  /** xml:base in scope for this entry, when it sets its own. */
  base?: string;
  /** May carry HTML and entities. */
  title?: string;
  /** Short description (HTML): RSS <description>, Atom <summary>, JSON Feed summary. */
  summaryHtml?: string;
  /** Full content (HTML): content:encoded, Atom <content>, JSON Feed content_html/text. */
  contentHtml?: string;
  published?: string;
  /** Last-modified date, used when `published` is missing or unreadable. */
  updated?: string;
  language?: string;
  /**
   * Fields that hold plain text escaped once as HTML (an Atom `type="text"` construct, say), so
   * markup left in them after unescaping is what the writer wrote, not HTML escaped twice.
   */
  escapedOnce?: ReadonlyArray<"title" | "summaryHtml" | "contentHtml">;
  /**
   * RSS <source url="…">Outlet</source>: the outlet an aggregator (Google News search) took the
   * item from.
   */
  source?: { name?: string; url?: string };
}

export interface RawFeed {
  /** The site the feed belongs to; relative item links resolve against it. */
  link?: string;
  /** The document's xml:base: when present it, not the site link, is what relative links mean. */
  base?: string;
  language?: string;
  items: RawFeedItem[];
}

export interface NormalizeContext {
  feedId: string;
  /** The URL the feed was fetched from, the base of last resort for relative links. */
  feedUrl: string;
  /** The feed config's language, which outranks what the feed claims for itself. */
  configuredLanguage?: string;
  /** ISO instant: item dates later than this are implausible and dropped (the item is kept). */
  notAfter?: string;
}

export interface NormalizeLimits {
  titleChars: number;
  summaryChars: number;
}

export const DEFAULT_LIMITS: NormalizeLimits = { titleChars: 500, summaryChars: 4000 };

export interface NormalizedFeed {
  items: NewsItem[];
  /** Entries without title and summary, and repeats of an entry already in this feed. */
  dropped: number;
}

export function normalizeFeed(
  feed: RawFeed,
  context: NormalizeContext,
  limits: NormalizeLimits = DEFAULT_LIMITS,
): NormalizedFeed {
  const xmlBase = resolveBase(feed.base, context.feedUrl);
  const siteLink = canonicalLink(feed.link, xmlBase ?? context.feedUrl);
  const base = siteLink ?? safeBase(context.feedUrl);
  const feedLanguage = context.configuredLanguage ?? feed.language;
  const stableGuids = findStableGuids(feed, base, context.feedUrl);
  const notAfter = context.notAfter ? Date.parse(context.notAfter) : Number.POSITIVE_INFINITY;
  // A press office that links every item to its homepage gives links that identify nothing.
  const feedAddresses = new Set([siteLink, canonicalLink(context.feedUrl)]);
  const seen = new Set<string>();
  const items: NewsItem[] = [];
  let dropped = 0;

  for (const raw of feed.items) {
    const once = raw.escapedOnce;
    const title = truncate(htmlToText(raw.title ?? "", once?.includes("title")), limits.titleChars);
    const summary = truncate(
      htmlToText(raw.summaryHtml ?? "", once?.includes("summaryHtml")) ||
        htmlToText(raw.contentHtml ?? "", once?.includes("contentHtml")),
      limits.summaryChars,
    );
    if (!title && !summary) {
      dropped++;
      continue;
    }
    const rawGuid = raw.guid?.trim();
    const linkBase = resolveBase(raw.base, xmlBase ?? context.feedUrl) ?? xmlBase ?? base;
    const stableGuid = rawGuid && stableGuids.has(rawGuid) ? rawGuid : undefined;
    const guid = stableGuid && raw.guidIsIri ? absoluteGuid(stableGuid, linkBase) : stableGuid;
    // An RSS item without <link> but with a permalink GUID links to the GUID.
    const link =
      canonicalLink(raw.link, linkBase) ??
      (guid && raw.guidIsPermaLink !== false && /^https?:\/\//i.test(guid) ? canonicalLink(guid) : undefined);
    const published = plausibleDate(raw.published, notAfter) ?? plausibleDate(raw.updated, notAfter);
    const id = itemId({
      feedId: context.feedId,
      guid,
      link: link && !feedAddresses.has(link) ? link : undefined,
      title,
      published,
    });
    if (seen.has(id)) {
      dropped++;
      continue;
    }
    seen.add(id);
    items.push({
      id,
      feedId: context.feedId,
      title,
      summary,
      ...(link ? { link } : {}),
      ...(published ? { published } : {}),
      ...outletOf(raw.source),
      language:
        primaryLanguage(raw.language) ??
        primaryLanguage(feedLanguage) ??
        guessLanguage(`${title} ${summary}`),
    });
  }
  return { items, dropped };
}

/**
 * A date, unless it is unreadable or later than `notAfter`: a pubDate years ahead is a typo
 * ("2062") or a scheduled post, and would otherwise sort above every real report in alerts and
 * digests. Without it the item still counts, dated by when it was first seen.
 */
function plausibleDate(raw: string | undefined, notAfter: number): string | undefined {
  const date = parseFeedDate(raw);
  return date && Date.parse(date) <= notAfter ? date : undefined;
}

// ---------------------------------------------------------------------------------------------
// Item identity

/**
 * An Atom id written as an absolute path ("/2026/06/story") names a page on the feed's site:
 * resolved against xml:base or the document, it is that page's URL. Other ids stay as written.
 */
function absoluteGuid(guid: string, base: string | undefined): string {
  return /^\/(?!\/)/.test(guid) ? (canonicalLink(guid, base) ?? guid) : guid;
}

const UNSTABLE_GUIDS = new Set(["", "null", "undefined", "none", "n/a", "0", "-"]);

/**
 * GUIDs worth trusting: present, not a placeholder, not the feed's own address, and unique in
 * this document (a GUID shared by two entries identifies neither).
 */
function findStableGuids(feed: RawFeed, base: string | undefined, feedUrl: string): Set<string> {
  const counts = new Map<string, number>();
  for (const item of feed.items) {
    const guid = item.guid?.trim();
    if (guid) counts.set(guid, (counts.get(guid) ?? 0) + 1);
  }
  const feedAddresses = new Set([base, canonicalLink(feedUrl)].filter(Boolean));
  const stable = new Set<string>();
  for (const [guid, count] of counts) {
    if (count > 1 || UNSTABLE_GUIDS.has(guid.toLowerCase())) continue;
    if (/^https?:/i.test(guid) && feedAddresses.has(canonicalLink(guid))) continue;
    stable.add(guid);
  }
  return stable;
}

/** Longest id part kept readable; longer ones (and anything not plain printable ASCII) are hashed. */
const MAX_READABLE_ID = 400;

/**
 * The item id, unique across all feeds:
 * - a GUID that is a URL (canonicalised) or a `urn:`/`tag:` URI is globally unique as it stands,
 *   so the same article reached through two feeds gets one id;
 * - any other GUID ("1", "post-42") only means something inside its feed: `feed:<feedId>:<guid>`;
 * - without a usable GUID the canonical link is the id (the caller withholds links that are the
 *   site's own address);
 * - without a link either, a hash of title and date, scoped to the feed.
 * Ids are printable ASCII without `#` (the table's key separator) and at most ~420 characters.
 */
export function itemId(parts: {
  feedId: string;
  guid?: string;
  link?: string;
  title: string;
  published?: string;
}): string {
  const { feedId, guid, link, title, published } = parts;
  if (guid) {
    if (/^https?:\/\//i.test(guid)) {
      const canonical = canonicalLink(guid);
      if (canonical) return boundedIdPart(canonical);
    }
    if (/^(urn|tag):\S+$/i.test(guid))
      return boundedIdPart(guid.replace(/^(urn|tag):/i, (s) => s.toLowerCase()));
    return `feed:${feedId}:${boundedIdPart(guid)}`;
  }
  if (link) return boundedIdPart(link);
  return `feed:${feedId}:item-sha256:${sha256(`${title}\u241f${published ?? ""}`)}`;
}

function boundedIdPart(value: string): string {
  return value.length <= MAX_READABLE_ID && /^[\x21-\x22\x24-\x7e]+$/.test(value)
    ? value
    : `sha256:${sha256(value)}`;
}

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 32);
}

// ---------------------------------------------------------------------------------------------
// Links

/** Query parameters that identify a click or a campaign, never the article. */
const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "gclsrc",
  "dclid",
  "gbraid",
  "wbraid",
  "msclkid",
  "yclid",
  "twclid",
  "ttclid",
  "igshid",
  "li_fat_id",
  "mc_cid",
  "mc_eid",
  "_hsenc",
  "_hsmi",
  "_ga",
  "_gl",
  "mkt_tok",
  "oly_anon_id",
  "oly_enc_id",
  "rb_clickid",
  "s_cid",
  "vero_id",
  "wickedid",
  "ncid",
  "cmpid",
  "ito",
  "at_medium",
  "at_campaign",
  "spm",
]);

/** Cheap pre-check so most links skip URLSearchParams entirely. */
const TRACKER_HINT = new RegExp(`[?&](?:utm_|${[...TRACKING_PARAMS].join("|")})`, "i");

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("utm_") || TRACKING_PARAMS.has(lower);
}

function decodeParamName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
    return name;
  }
}

const QUOTED_URL = /^(?:<|&lt;)(?:!\[CDATA\[)?\s*(\S+?)\s*(?:\]\])?(?:>|&gt;)$/i;

/**
 * The canonical form of a link: absolute (resolved against `base`), http(s) only, no fragment,
 * no credentials, lower-case host without a trailing dot, tracking parameters removed. Undefined
 * for anything that is not a usable http(s) URL (javascript:, data:, mailto:, garbage).
 */
export function canonicalLink(raw: string | undefined, base?: string): string | undefined {
  // Links are text and some feeds escape them twice: "?a=1&amp;amp;b=2" reaches us as "&amp;".
  // Invisible marks pasted along with a URL are never part of it (a real one would be
  // percent-encoded); "<https://…>" quotes a URL in text (RFC 3986, appendix C), and a CDATA
  // section escaped once too often arrives as literal "<![CDATA[…]]>".
  let candidate = raw
    ?.replace(INVISIBLE_FORMAT, "")
    .trim()
    .replace(/&(?:amp|#0*38|#x0*26);/gi, "&")
    .replace(QUOTED_URL, "$1");
  if (!candidate) return undefined;
  // "www.example.com/story" is a host without its scheme, not a path relative to the feed.
  if (/^www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#:]|$)/i.test(candidate)) candidate = `http://${candidate}`;
  let url: URL;
  try {
    url = new URL(candidate, safeBase(base));
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (!url.hostname) return undefined;
  const target = redirectTarget(url);
  if (target) return canonicalLink(target);
  url.hash = "";
  // "page?" and "page" are one address; WHATWG URL keeps the bare "?" unless told otherwise.
  if (!url.search) url.search = "";
  url.username = "";
  url.password = "";
  if (url.hostname.endsWith(".")) url.hostname = url.hostname.replace(/\.+$/, "");
  if (!url.search || !TRACKER_HINT.test(url.search)) return url.href;
  // Filter the raw query rather than going through URLSearchParams, which would re-encode what
  // stays ("section=nk/nk" → "section=nk%2Fnk") and so change the article's address.
  const kept = url.search
    .slice(1)
    .split("&")
    .filter((pair) => pair && !isTrackingParam(decodeParamName(pair.split("=", 1)[0] ?? "")));
  url.search = kept.length > 0 ? `?${kept.join("&")}` : "";
  return url.href;
}

const GOOGLE_HOST = /^(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?$/;

/**
 * The article behind Google's click-tracking redirect (`google.com/url?…&url=<target>`, what
 * Google Alerts feeds link to). Google News' /rss/articles/ links encode their target opaquely
 * and stay as they are.
 */
function redirectTarget(url: URL): string | undefined {
  if (url.pathname !== "/url" || !GOOGLE_HOST.test(url.hostname)) return undefined;
  const target = url.searchParams.get("url") ?? url.searchParams.get("q");
  return target && /^https?:\/\//i.test(target) ? target : undefined;
}

/** An xml:base resolved against the base around it; undefined when absent or not http(s). */
function resolveBase(xmlBase: string | undefined, outer: string | undefined): string | undefined {
  if (!xmlBase?.trim()) return undefined;
  try {
    const url = new URL(xmlBase.trim(), safeBase(outer));
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

let lastBase: { raw: string; safe: string | undefined } | undefined;

function safeBase(base: string | undefined): string | undefined {
  if (!base) return undefined;
  // A feed resolves all its links against one base: parse it once, not per link.
  if (lastBase?.raw === base) return lastBase.safe;
  const safe = parseHttpBase(base);
  lastBase = { raw: base, safe };
  return safe;
}

function parseHttpBase(base: string): string | undefined {
  try {
    const url = new URL(base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Text

/**
 * Elements whose content is never reader-visible text. (<object> is not one: what it holds is
 * fallback content, shown wherever the plugin does not run, which today is everywhere.)
 */
const INVISIBLE = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "embed",
  "svg",
  "math",
  "head",
  "select",
  "button",
]);

/** Elements that end a run of text, so their neighbours must not glue together. */
const BREAKING = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "dd",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "img",
  "li",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "td",
  "th",
  "tr",
  "ul",
]);

/**
 * HTML (or plain text with entities) → one line of plain text: tags dropped, scripts and styles
 * with their content removed, entities decoded, control and bidi-override characters removed,
 * whitespace folded. htmlparser2 does the tokenising and entity decoding (the same parser
 * html-to-text builds on, without its layout engine we would fold away anyway).
 */
export function htmlToText(html: string, escapedOnce = false): string {
  const text = markupToText(html);
  // Feeds that escape their HTML twice (reddit's do) leave markup in the text after one pass.
  // Markup quoted in a <code> or <pre> ("<code>&lt;br /></code>") is text the writer meant.
  return !escapedOnce && !sawCode && ESCAPED_MARKUP.test(text) ? markupToText(text) : text;
}

/** Elements in which escaped markup is quoted code, not HTML escaped twice. */
const CODE = new Set(["code", "pre", "kbd", "samp", "tt", "xmp"]);

const ESCAPED_MARKUP =
  /<(?:!--|\/?(?:p|div|span|a|br|img|b|i|em|strong|ul|ol|li|h[1-6]|table|tr|td|blockquote|script|style|iframe)\b[^<>]*>)/i;

// One parser for the module, reset per document: building a tokenizer per string costs more than
// the parsing itself on short summaries. Parsing is synchronous, so the shared state is safe.
const textParts: string[] = [];
let invisibleDepth = 0;
/** Whether the last markupToText call met a CODE element. */
let sawCode = false;
const htmlParser = new HtmlParser(
  {
    onopentag(name) {
      if (CODE.has(name)) sawCode = true;
      if (INVISIBLE.has(name)) invisibleDepth++;
      else if (BREAKING.has(name)) textParts.push(" ");
    },
    ontext(text) {
      if (invisibleDepth === 0) textParts.push(text);
    },
    onclosetag(name) {
      if (INVISIBLE.has(name)) invisibleDepth = Math.max(0, invisibleDepth - 1);
      else if (BREAKING.has(name)) textParts.push(" ");
    },
  },
  { decodeEntities: true, lowerCaseTags: true },
);

/**
 * Two references spelling one UTF-16 surrogate pair (`&#55357;&#56832;`), which PHP and Java
 * escapers emit for emoji. XML forbids surrogate code points and HTML reads each half as U+FFFD.
 */
const SURROGATE_PAIR_REFERENCE =
  /&#(?:(5[56][0-9]{3})|x(d[89ab][0-9a-f]{2}));&#(?:(5[67][0-9]{3})|x(d[c-f][0-9a-f]{2}));/gi;

/** The text with every surrogate-pair reference replaced by one reference to the character. */
export function joinSurrogatePairReferences(text: string): string {
  return text.includes("&#") ? text.replace(SURROGATE_PAIR_REFERENCE, joinSurrogatePair) : text;
}

function joinSurrogatePair(
  pair: string,
  highDecimal: string | undefined,
  highHex: string | undefined,
  lowDecimal: string | undefined,
  lowHex: string | undefined,
): string {
  const high = highDecimal ? Number.parseInt(highDecimal, 10) : Number.parseInt(highHex ?? "", 16);
  const low = lowDecimal ? Number.parseInt(lowDecimal, 10) : Number.parseInt(lowHex ?? "", 16);
  const isPair = high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
  return isPair ? `&#x${(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)).toString(16)};` : pair;
}

function markupToText(html: string): string {
  sawCode = false;
  if (!html) return "";
  if (!html.includes("<") && !html.includes("&")) return cleanText(html);
  textParts.length = 0;
  invisibleDepth = 0;
  const joined = joinSurrogatePairReferences(html);
  htmlParser.parseComplete(joined.includes("<") ? escapeStrayLessThan(joined) : joined);
  const text = textParts.join("");
  textParts.length = 0;
  return cleanText(text);
}

/**
 * A `<` that cannot open a tag, comment or declaration (no closing `>` before the next `<`) is
 * text: "a<b" in a plain-text title is the comparison, not the start of a <b> element that would
 * swallow the rest of the line, and a `<!DOCTYPE` quoted in a summary is not a declaration.
 */
const STRAY_LESS_THAN = /<(?!!--|!\[CDATA\[|[!?][^<>]*>|\/?[a-z][\w:-]*(?:\s[^<>]*)?\/?>)/gi;
/** HTML cut short inside a tag ("… <a href="…") ends the text; a `<` glued to a word does not. */
const TRUNCATED_TAG = /<\/?[a-z][^<>]*$/iy;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

function escapeStrayLessThan(html: string): string {
  return html.replace(STRAY_LESS_THAN, (lessThan, offset: number) => {
    TRUNCATED_TAG.lastIndex = offset;
    return TRUNCATED_TAG.test(html) && !WORD_CHARACTER.test(html[offset - 1] ?? "") ? lessThan : "&lt;";
  });
}

/** C0/C1 controls become spaces; invisible format characters that can spoof or hide text go. */
const CONTROL = /\p{Cc}/gu;
const INVISIBLE_FORMAT =
  /[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanText(text: string): string {
  // Most feed text is printable ASCII, where only whitespace and control characters need work.
  if (!NON_ASCII.test(text)) return text.replace(ASCII_SPACE_OR_CONTROL, " ").trim();
  // Only a C1 control or a UTF-8 lead byte read as windows-1252 (Â–ô) can need either repair.
  const repaired = MISDECODED_HINT.test(text) ? mapC1ToWindows1252(repairDoubleEncodedUtf8(text)) : text;
  return repaired
    .replace(LONE_SURROGATE, "")
    .normalize("NFC")
    .replace(CONTROL, " ")
    .replace(INVISIBLE_FORMAT, "")
    .replace(/\s+/g, " ")
    .trim();
}

const NON_ASCII = /[^\x20-\x7e\s]/;
const MISDECODED_HINT = /[\u0080-\u009f\u00c2-\u00f4]/;

/**
 * windows-1252's 0x80–0x9F (€, curly quotes, dashes, …), in byte order; the five bytes it leaves
 * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay C1 controls, as in the Encoding Standard.
 */
export const WINDOWS_1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

const C1_CONTROL = /[\u0080-\u009f]/g;

/**
 * C1 controls as the windows-1252 characters they almost always are: text that went through a
 * Latin-1 decoder (or a `&#146;` reference) turns "don’t" into "don\u0092t". HTML maps them the
 * same way; nobody means a C1 control in a headline.
 */
export function mapC1ToWindows1252(text: string): string {
  return text.replace(C1_CONTROL, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

/** The byte windows-1252 (or Latin-1, for its C1 gaps) encodes each character of 0x80–0xFF as. */
const WINDOWS_1252_BYTE: ReadonlyMap<string, number> = new Map([
  ...Array.from({ length: 0x80 }, (_, i) => [String.fromCharCode(0x80 + i), 0x80 + i] as const),
  ...[...WINDOWS_1252_HIGH].map((c, i) => [c, 0x80 + i] as const),
]);

/** A character windows-1252 or Latin-1 gives for a UTF-8 continuation byte (0x80–0xBF). */
const CONTINUATION = `[\u0080-\u00bf${[...WINDOWS_1252_HIGH].filter((c) => c > "\u00ff").join("")}]`;

/** A UTF-8 lead byte and its continuation bytes, each read as a windows-1252 character. */
const DOUBLE_ENCODED = new RegExp(
  `[\u00c2-\u00df]${CONTINUATION}|[\u00e0-\u00ef]${CONTINUATION}{2}|[\u00f0-\u00f4]${CONTINUATION}{3}`,
  "g",
);
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * UTF-8 that was read as windows-1252 and encoded again ("â€¦" for "…", "Ã©" for "é"): each run
 * that forms one valid UTF-8 sequence once its characters are turned back into bytes is replaced
 * by the character it encodes. Legitimate text practically never has a lead letter such as "â" or
 * "Ã" followed by exactly the right number of symbols from the 0x80–0xBF row.
 */
export function repairDoubleEncodedUtf8(text: string): string {
  return text.replace(DOUBLE_ENCODED, (run) => {
    const bytes = Uint8Array.from(run, (c) => WINDOWS_1252_BYTE.get(c) ?? 0);
    try {
      return STRICT_UTF8.decode(bytes);
    } catch {
      return run;
    }
  });
}
const ASCII_SPACE_OR_CONTROL = /[\s\p{Cc}]+/gu;

/** Cuts at a word boundary near `max` characters, never inside a surrogate pair, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const lastSpace = text.lastIndexOf(" ", end);
  if (lastSpace > max * 0.8) end = lastSpace;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------
// Dates

const ASCII_LETTERS = /^[A-Za-z]*$/;

/**
 * A month name in any language of MONTH_NAMES matches by its first four letters, else its first
 * three, after case folding and dropping accents ("févr." → "fevr", "März" → "marz", "ноября" →
 * "ноя"); a three-letter start two months share ("jui": juin, juillet) is told apart by the fourth.
 */
const MONTH_BY_STEM: ReadonlyMap<string, number> = (() => {
  const byStem = new Map<string, Set<number>>();
  MONTH_NAMES.forEach((names, month) => {
    for (const name of [...names.en, ...names.ru, ...names.other]) {
      const folded = foldMonthName(name);
      for (const stem of new Set([folded.slice(0, 3), folded.slice(0, 4)]))
        byStem.set(stem, (byStem.get(stem) ?? new Set()).add(month));
    }
  });
  return new Map(
    [...byStem].flatMap(([stem, months]) => (months.size === 1 ? [[stem, [...months][0] as number]] : [])),
  );
})();

function foldMonthName(name: string): string {
  // Most month names in feeds are plain ASCII ("Jun"), with no accent to drop.
  if (ASCII_LETTERS.test(name)) return name.toLowerCase();
  return name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The month (0–11) a month name or abbreviation names, in any of the languages above. */
function monthNumber(name: string | undefined): number | undefined {
  const folded = foldMonthName(name ?? "");
  return MONTH_BY_STEM.get(folded.slice(0, 4)) ?? MONTH_BY_STEM.get(folded.slice(0, 3));
}

/** Offsets in minutes of the zone names feeds actually write (RFC 822's and a few common others). */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  BST: 60,
  CET: 60,
  MET: 60,
  CEST: 120,
  MEST: 120,
  MEZ: 60,
  MESZ: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  IST: 330,
  ICT: 420,
  WIB: 420,
  SGT: 480,
  HKT: 480,
  AWST: 480,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  // US zone names without the standard/daylight letter, as some US publishers write them;
  // read as standard time, as feedparser does.
  AT: -240,
  ET: -300,
  CT: -360,
  MT: -420,
  PT: -480,
};

// A leading weekday must end in a comma or a space, so that the regex cannot borrow the first
// letters of a month name ("Novem|ber 28") as one.
const RFC822 =
  /^(?:\p{L}{2,9}\.?(?:,\s*|\s+))?(\d{1,2})\.?[\s-]+(\p{L}{3,9})\.?,?[\s-]+(\d{2,4})(?:[\sT,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?)?\s*(.*)$/iu;
// An optional weekday in front ("Fri, 2006/09/15 08:19:53 EDT", Perforce's); a zero-padded
// three-digit month ("2003-012-31") is a typo for the two-digit one.
const ISO =
  /^(?:\p{L}{2,9}\.?,?\s+)?(\d{4})([-/.])0?(\d{1,2})\2(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(.*)$/iu;
/** ISO 8601 with the month spelled out, as Hungarian feeds write it: "2004-július-13T9:15-05:00". */
const ISO_MONTH_NAME = /^(\d{4})-(\p{L}{3,12})-(\d{1,2})(?:T(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/iu;
/** C's asctime ("Sun Jan  4 16:29:06 2004"), and Twitter's with a zone before the year. */
const ASCTIME =
  /^(?:\p{L}{2,9}\s+)?(\p{L}{3,9})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([+-]\d{4}|[A-Z]{1,5})\s+)?(\d{4})$/iu;
/**
 * Korean forms: "2004-05-25 오후 11:23:17" (am/pm before the time) and "2004년 05월 28일 01:31:15".
 * Without a zone they are Korea's time, which is what Korean servers write.
 */
const KOREAN_DATE = new RegExp(
  `^(\\d{4})(?:-|${KOREAN_DATE_WORDS.year}\\s*)(\\d{1,2})(?:-|${KOREAN_DATE_WORDS.month}\\s*)(\\d{1,2})${KOREAN_DATE_WORDS.day}?` +
    `\\s+(?:(${KOREAN_DATE_WORDS.am}|${KOREAN_DATE_WORDS.pm})\\s*)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*(.*)$`,
  "u",
);
const KOREA_OFFSET = "+09:00";
const HANGUL = /[\uac00-\ud7af]/;
/** Day-first numeric dates as European CMSs write them: "28.11.2026 10:00". */
const DOTTED_DAY_FIRST = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[\s,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/;
const US_STYLE =
  /^(?:\p{L}{2,9}\.?(?:,\s*|\s+))?(\p{L}{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:[\s,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/iu;

/**
 * A feed date → ISO 8601 UTC, or undefined when it cannot be read with confidence. Reads RFC 822
 * (with or without weekday, 2-digit years, zone names or offsets), RFC 3339 / ISO 8601 (space
 * instead of T, missing seconds, offsets without a colon) and "Jun 19, 2024 10:00" forms. A date
 * without a zone is taken as UTC, which is what the server most likely meant.
 */
export function parseFeedDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const text = raw.replace(/\s+/g, " ").trim();
  if (!text || text.length > 100) return undefined;

  // Some CMSs write Unix time into pubDate; readers (feedparser, browsers' Date) accept it. Only a
  // value that lands between 2000 and 2100 is taken, as seconds (10 digits) or milliseconds (13).
  if (/^\d{10}(?:\d{3})?$/.test(text)) return fromUnixTime(Number(text));
  const truncated = truncatedIsoDate(text);
  if (truncated) return truncated;

  const korean = HANGUL.test(text) ? KOREAN_DATE.exec(text) : null;
  if (korean) {
    const [, y, mo, d, meridiem, h, mi, s, zone] = korean;
    const half = meridiem ? (meridiem === KOREAN_DATE_WORDS.pm ? "pm " : "am ") : "";
    return buildFromText(Number(y), Number(mo) - 1, d, [h, mi, s], `${half}${zone || KOREA_OFFSET}`);
  }
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, , mo, d, h, mi, s, fraction, zone] = iso;
    // An offset means nothing on a date without a time ("2013-01-27-01" is no date).
    if (h === undefined && zone && /^[+-]/.test(zone)) return undefined;
    const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
    return buildFromText(Number(y), Number(mo) - 1, d, [h, mi, s], zone, ms);
  }
  // RFC 822 before the rarer forms: it is what most feeds write.
  const rfc = RFC822.exec(text);
  if (rfc) {
    const [, d, monthName, y, h, mi, s, zone] = rfc;
    const month = monthNumber(monthName);
    if (month === undefined) return undefined;
    return buildFromText(fullYear(Number(y), y?.length ?? 4), month, d, [h, mi, s], zone);
  }
  const isoMonthName = ISO_MONTH_NAME.exec(text);
  if (isoMonthName) {
    const [, y, monthName, d, h, mi, s, zone] = isoMonthName;
    const month = monthNumber(monthName);
    return month === undefined ? undefined : buildFromText(Number(y), month, d, [h, mi, s], zone);
  }
  const asctime = ASCTIME.exec(text);
  if (asctime) {
    const [, monthName, d, h, mi, s, zone, y] = asctime;
    const month = monthNumber(monthName);
    return month === undefined ? undefined : buildFromText(Number(y), month, d, [h, mi, s], zone);
  }
  const dotted = DOTTED_DAY_FIRST.exec(text);
  if (dotted) {
    const [, d, mo, y, h, mi, s, zone] = dotted;
    return buildFromText(Number(y), Number(mo) - 1, d, [h, mi, s], zone);
  }
  const us = US_STYLE.exec(text);
  if (us) {
    const [, monthName, d, y, h, mi, s, zone] = us;
    const month = monthNumber(monthName);
    if (month === undefined) return undefined;
    return buildFromText(Number(y), month, d, [h, mi, s], zone);
  }
  return undefined;
}

/**
 * ISO 8601's date-only and truncated forms, as feedparser reads them: "2003", "2003-12", ordinal
 * "2003-335", and the two-digit-year forms of ISO 8601:1988 ("03-12-31", "-03-12", "-0312").
 * Midnight UTC on that day. A bare run of five or more digits ("20031231", "031231", "03335")
 * is far likelier a number than a date, and stays undated like any implausible Unix time.
 */
function truncatedIsoDate(text: string): string | undefined {
  if (!/^-?\d[\d-]{3,9}$/.test(text)) return undefined;
  let match = /^(\d{4})(?:-(\d{2}))?$/.exec(text);
  if (match) return build(Number(match[1]), Number(match[2] ?? 1) - 1, 1, 0, 0, 0, 0, undefined);
  match = /^(\d{2})-(\d{2})-(\d{2})$/.exec(text);
  if (match) {
    const [, y = "", mo, d] = match;
    return build(fullYear(Number(y), y.length), Number(mo) - 1, Number(d), 0, 0, 0, 0, undefined);
  }
  match = /^-(\d{2})-?(\d{2})$/.exec(text);
  if (match) return build(fullYear(Number(match[1]), 2), Number(match[2]) - 1, 1, 0, 0, 0, 0, undefined);
  match = /^(\d{4})-(\d{3})$/.exec(text);
  if (match) {
    const day = Number(match[2]);
    if (day < 1 || day > 366) return undefined;
    return build(Number(match[1]), 0, day, 0, 0, 0, 0, undefined, true);
  }
  return undefined;
}

function fromUnixTime(value: number): string | undefined {
  const date = new Date(value >= 1e12 ? value : value * 1000);
  const year = date.getUTCFullYear();
  return year >= 2000 && year < 2100 ? date.toISOString() : undefined;
}

function fullYear(year: number, digits: number): number {
  if (digits > 2) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

/** `build` from a pattern's captured day and time-of-day groups (absent ones are 0). */
function buildFromText(
  year: number,
  month: number,
  day: string | undefined,
  [hour, minute, second]: (string | undefined)[],
  zone: string | undefined,
  ms = 0,
): string | undefined {
  return build(
    year,
    month,
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
    ms,
    zone,
  );
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  zoneText: string | undefined,
  /** `day` counts from 1 January (an ordinal date) and may pass the end of January. */
  ordinal = false,
): string | undefined {
  const meridiem = /^([ap])\.?m\.?(?:\s+|$)/i.exec(zoneText ?? "");
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem[1]?.toLowerCase() === "p" ? 12 : 0);
  }
  const offset = zoneOffsetMinutes(meridiem ? zoneText?.slice(meridiem[0].length) : zoneText);
  if (offset === undefined) return undefined;
  if (year < 1970 || year > 2200 || month < 0 || month > 11 || day < 1 || day > (ordinal ? 366 : 31))
    return undefined;
  if (hour > 24 || minute > 59 || second > 60) return undefined;
  const local = new Date(Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms));
  // Date.UTC rolls 31 June over to 1 July; a day the month does not have is a broken date.
  if (ordinal) return local.getUTCFullYear() === year ? local.toISOString() : undefined;
  if (local.getUTCMonth() !== month && !(hour === 24 && local.getUTCDate() === 1)) return undefined;
  return new Date(local.getTime() - offset * 60_000).toISOString();
}

/** Minutes east of UTC; 0 for no zone; undefined for text we do not understand. */
function zoneOffsetMinutes(zoneText: string | undefined): number | undefined {
  // "Etc/GMT" and "Etc/UTC" are the tz database's names for UTC.
  const zone = (zoneText ?? "")
    .trim()
    .replace(/^\((.*)\)$/, "$1")
    .replace(/^Etc\/(GMT|UTC|UCT|Universal|Zulu)$/i, "UTC");
  if (!zone) return 0;
  // "+0000 (UTC)" and "+0000 GMT" both occur: a name after the offset only repeats it.
  const numeric = /^(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2}):?(\d{2})?(?:\s*\(.*\)|\s+[A-Z]{2,5})?$/i.exec(zone);
  if (numeric) {
    const [, sign, hours, minutes] = numeric;
    const total = Number(hours) * 60 + Number(minutes ?? 0);
    if (total > 14 * 60) return undefined;
    return sign === "-" ? -total : total;
  }
  const named = /^([A-Z]{1,5})(?:\s*\(.*\))?$/i.exec(zone);
  if (named) return ZONES[(named[1] ?? "").toUpperCase()];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Language

/** The primary subtag of a BCP 47 tag ("en-US" → "en"), or undefined when it is not one. */
export function primaryLanguage(tag: string | undefined): string | undefined {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) && primary !== "und" ? primary : undefined;
}

/** Cyrillic → ru, Hangul → ko, mostly Latin → en, anything else "und". */
export function guessLanguage(text: string): string {
  let letters = 0;
  let latin = 0;
  let cyrillic = 0;
  let hangul = 0;
  const end = Math.min(text.length, 1000);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7)
    ) {
      latin++;
      letters++;
    } else if (code >= 0x400 && code <= 0x52f) {
      cyrillic++;
      letters++;
    } else if (
      (code >= 0xac00 && code <= 0xd7af) ||
      (code >= 0x1100 && code <= 0x11ff) ||
      (code >= 0x3130 && code <= 0x318f)
    ) {
      hangul++;
      letters++;
    } else if (code >= 0x80 && LETTER.test(text[i] ?? "")) {
      letters++;
    }
  }
  if (letters === 0) return "und";
  if (hangul > 0 && hangul >= cyrillic && hangul * 5 >= letters) return "ko";
  if (cyrillic > 0 && cyrillic * 5 >= letters && cyrillic >= latin / 2) return "ru";
  if (latin * 2 > letters) return "en";
  return "und";
}

const LETTER = /\p{L}/u;

/** The real outlet of an aggregated item, keyed by its site so every search feed names it alike. */
function outletOf(source: RawFeedItem["source"]): Pick<NewsItem, "outlet"> {
  const name = source?.name ? cleanText(source.name) : "";
  let site: string | undefined;
  try {
    site = source?.url ? new URL(source.url).hostname.toLowerCase().replace(/^www\./, "") : undefined;
  } catch {
    site = undefined;
  }
  if (!site && !name) return {};
  return {
    outlet: { id: site ? `site:${site}` : `name:${name.toLowerCase()}`, name: name || (site as string) },
  };
}
