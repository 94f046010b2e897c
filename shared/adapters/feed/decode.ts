// Bytes → text the way a browser would pick the encoding: BOM, then the HTTP charset, then the XML
// prolog, then a UTF-8 validity check, then a charset detector limited to the encodings news feeds
// use, with windows-1252 as the last resort. rss-parser cannot be trusted with any of this (it
// mis-decodes non-UTF-8 and chokes on a BOM), so it only ever sees a string produced here.

import iconv from "iconv-lite";
import { joinSurrogatePairReferences, mapC1ToWindows1252 } from "../../domain/normalize.ts";
import { detectCharset } from "./detect-charset.ts";

/** Which source decided the charset (the feed doctor prints it). */
export type EncodingSource = "bom" | "header" | "prolog" | "utf8-valid" | "detected" | "fallback";

export interface DecodedBody {
  text: string;
  /** WHATWG encoding name actually used, e.g. "windows-1251". */
  encoding: string;
  source: EncodingSource;
}

/** How many leading bytes may hold an XML prolog worth sniffing. */
const PROLOG_SNIFF_BYTES = 1024;

export function decodeBody(bytes: Uint8Array, contentType?: string | null): DecodedBody {
  const bom = encodingFromBom(bytes);
  if (bom) return { text: decodeWith(bom, bytes), encoding: bom, source: "bom" };

  const fromHeader = supportedEncoding(charsetFromContentType(contentType));
  const fromProlog = supportedEncoding(encodingFromProlog(bytes));

  // Servers and CMSs that label everything with one default charset are common. Text in a legacy
  // encoding that happens to form valid multi-byte UTF-8 is vanishingly rare, so such bytes are
  // UTF-8 whatever the label says; and a false "utf-8" label yields to the document's own prolog.
  const utf8WithNonAscii = hasNonAscii(bytes) && isUtf8(bytes);
  if (fromHeader) {
    const headerLiesAboutUtf8 =
      fromHeader === "utf-8" && fromProlog && fromProlog !== "utf-8" && !isUtf8(bytes);
    const headerLiesAboutLegacy = fromHeader !== "utf-8" && !isUnicode(fromHeader) && utf8WithNonAscii;
    if (!headerLiesAboutUtf8 && !headerLiesAboutLegacy)
      return { text: decodeWith(fromHeader, bytes), encoding: fromHeader, source: "header" };
  }
  if (fromProlog && !isUnicode(fromProlog) && utf8WithNonAscii)
    return { text: decodeWith("utf-8", bytes), encoding: "utf-8", source: "utf8-valid" };
  if (fromProlog) return { text: decodeWith(fromProlog, bytes), encoding: fromProlog, source: "prolog" };
  if (isUtf8(bytes)) return { text: decodeWith("utf-8", bytes), encoding: "utf-8", source: "utf8-valid" };
  const detected = supportedEncoding(detectCharset(bytes));
  if (detected) return { text: decodeWith(detected, bytes), encoding: detected, source: "detected" };
  return { text: decodeWith("windows-1252", bytes), encoding: "windows-1252", source: "fallback" };
}

function isUnicode(encoding: string): boolean {
  return /^utf-(?:8|16|32)/.test(encoding);
}

function encodingFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0xfe && bytes[3] === 0xff) return "utf-32be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0x00 && bytes[3] === 0x00) return "utf-32le";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

/** The charset parameter of a Content-Type header, unquoted; undefined when absent. */
export function charsetFromContentType(contentType?: string | null): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return match?.[2];
}

/**
 * The encoding named by an XML prolog. Also recognises a BOM-less UTF-32 or UTF-16 document by
 * its `<` pattern (XML 1.0 appendix F), where the prolog itself cannot be read as ASCII.
 */
export function encodingFromProlog(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0x00 && bytes[3] === 0x3c) return "utf-32be";
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x00 && bytes[3] === 0x00) return "utf-32le";
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return "utf-16be";
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return "utf-16le";
  const head = latin1(bytes.subarray(0, PROLOG_SNIFF_BYTES));
  const declared = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
  // A prolog readable as ASCII is not UTF-16/32 whatever it says (browsers treat it as UTF-8).
  return declared && /^utf-?(?:16|32)/i.test(declared) ? "utf-8" : declared;
}

/**
 * The WHATWG name of a label TextDecoder can decode; else, for a label only server platforms use
 * (Java's "MS949", "cp949", "ms936"), that label as iconv-lite knows it; undefined when unknown.
 */
export function supportedEncoding(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const trimmed = label.trim();
  try {
    return new TextDecoder(trimmed).encoding;
  } catch {
    return iconv.encodingExists(trimmed) ? trimmed.toLowerCase() : undefined;
  }
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * WHATWG encodings whose Node (ICU) TextDecoder knows only the old national standard, mapped to
 * the iconv-lite codec that decodes the superset the Encoding Standard (and every browser) uses:
 * euc-kr is really windows-949 (UHC: 8,822 more Hangul syllables such as 똠, 햏, 뷁), gbk is read with
 * the gb18030 decoder (four-byte sequences), big5 includes the HKSCS extensions.
 */
const ICONV_SUPERSET: Readonly<Record<string, string>> = {
  "euc-kr": "cp949",
  gbk: "gb18030",
  gb18030: "gb18030",
  big5: "big5hkscs",
  // The Encoding Standard has no UTF-32; XML 1.0 (appendix F) and feedparser read it.
  "utf-32be": "utf-32be",
  "utf-32le": "utf-32le",
};

function isWhatwgEncoding(name: string): boolean {
  try {
    return new TextDecoder(name).encoding === name;
  } catch {
    return false;
  }
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  const iconvName = ICONV_SUPERSET[encoding] ?? (isWhatwgEncoding(encoding) ? undefined : encoding);
  if (iconvName)
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), iconvName);
  // TextDecoder strips a BOM that matches the encoding; invalid sequences become U+FFFD.
  const text = new TextDecoder(encoding).decode(bytes);
  // Node 20's TextDecoder decodes windows-1252's 0x80–0x9F as ISO-8859-1 C1 controls
  // (nodejs/node#56542): map them to the characters the standard gives.
  return encoding === "windows-1252" ? mapC1ToWindows1252(text) : text;
}

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

/**
 * Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, noncharacters) and the C1 controls
 * it merely discourages: none of them is ever meant as text in a feed.
 */
const XML_FORBIDDEN_CHARS = /(?![\t\n\r])\p{Cc}|\p{Noncharacter_Code_Point}/gu;

/** A `&` that does not begin one of XML's five entities or a character reference. */
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos);|#[0-9]{1,7};|#x[0-9A-Fa-f]{1,6};)/g;

const CHARACTER_REFERENCE = /&#(?:([0-9]{1,7})|x([0-9A-Fa-f]{1,6}));/g;

/** A DOCTYPE in the prolog (one inside a CDATA section further on is text). */
const PROLOG_DOCTYPE =
  /^(\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*)<!DOCTYPE(?:[^[>]*\[([\s\S]*?)\]\s*>|[^>]*>)/i;

/** `<!ENTITY name "text">`: an internal entity whose value is plain text (no references, no markup). */
const LITERAL_ENTITY = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"&%<]*)"|'([^'&%<]*)')\s*>/g;
/** Longest entity value expanded; a feed defines a prefix or a name, not a document. */
const MAX_ENTITY_VALUE_CHARS = 256;
/** Total characters expansion may add to a document, whatever the number of references. */
const MAX_ENTITY_EXPANSION_CHARS = 64 * 1024;

/**
 * The internal entities a DOCTYPE defines as plain text, which feedparser and browsers expand.
 * Values holding references or markup (billion laughs), external entities (XXE) and parameter
 * entities are never read: their references stay inert text.
 */
function literalEntities(subset: string | undefined): Map<string, string> | undefined {
  if (!subset) return undefined;
  const entities = new Map<string, string>();
  for (const [, name, double, single] of subset.matchAll(LITERAL_ENTITY)) {
    const value = double ?? single ?? "";
    if (name && value.length <= MAX_ENTITY_VALUE_CHARS && !entities.has(name)) entities.set(name, value);
  }
  return entities.size > 0 ? entities : undefined;
}

const ENTITY_REFERENCE = /&([A-Za-z_][\w.-]*);/g;

function expandLiteralEntities(
  text: string,
  entities: Map<string, string>,
  budget: { chars: number },
): string {
  return text.replace(ENTITY_REFERENCE, (reference, name: string) => {
    const value = entities.get(name);
    if (value === undefined || value.length > budget.chars) return reference;
    budget.chars -= value.length;
    return value.replace(/>/g, "&gt;");
  });
}

/**
 * Makes decoded feed text safe and palatable for a strict XML parser:
 * - the prolog's encoding attribute is dropped (the text is already decoded);
 * - the DOCTYPE goes: feeds need none, and its internal subset is where entity bombs and
 *   external entities (XXE) live, so their references stay inert text;
 * - HTML entities and bare `&` that real feeds are full of (`&nbsp;`, `AT&T`) are escaped so
 *   they survive as text for the HTML-to-text step instead of failing the whole feed;
 * - characters XML forbids (raw or as references) are removed.
 */
export function prepareXmlText(text: string): string {
  let xml = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  xml = xml.replace(/^(\s*<\?xml\b[^>]*?)\s+encoding\s*=\s*["'][^"']*["']/, "$1");
  const doctype = PROLOG_DOCTYPE.exec(xml);
  const entities = literalEntities(doctype?.[2]);
  if (doctype) xml = (doctype[1] ?? "") + xml.slice(doctype[0].length);
  const budget = { chars: MAX_ENTITY_EXPANSION_CHARS };
  xml = mapC1ToWindows1252(xml).replace(XML_FORBIDDEN_CHARS, "");
  // Inside CDATA nothing is a reference: `&nbsp;` there is already the HTML it should be.
  return outsideCdata(xml, (part) =>
    joinSurrogatePairReferences(entities ? expandLiteralEntities(part, entities, budget) : part)
      .replace(CHARACTER_REFERENCE, (ref, decimal: string | undefined, hex: string | undefined) => {
        const code = decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? "", 16);
        // `&#146;` means windows-1252's ’ (as in HTML), never a C1 control.
        if (code >= 0x80 && code <= 0x9f)
          return mapC1ToWindows1252(String.fromCharCode(code)).replace(XML_FORBIDDEN_CHARS, "");
        return isXmlChar(code) ? ref : "";
      })
      .replace(BARE_AMPERSAND, "&amp;"),
  );
}

const CDATA_SECTION = /<!\[CDATA\[[\s\S]*?\]\]>/g;

function outsideCdata(xml: string, fix: (part: string) => string): string {
  if (!xml.includes("<![CDATA[")) return fix(xml);
  let out = "";
  let last = 0;
  for (const match of xml.matchAll(CDATA_SECTION)) {
    out += fix(xml.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + fix(xml.slice(last));
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
