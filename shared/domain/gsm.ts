// SMS budgeting: what a text costs in GSM-7 / UCS-2 segments, and how to keep a text inside the
// GSM-7 alphabet so that one Cyrillic letter or emoji does not switch the whole SMS to UCS-2
// (70 instead of 160 characters per segment).
import anyAscii from "any-ascii";

/** GSM 03.38 basic character set (one septet each). ESC (0x1B) is left out: it is not a character. */
const GSM7_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);

/** GSM 03.38 extension table: each is sent as ESC + char, so it costs two septets. */
const GSM7_EXTENSION = new Set("\f^{}\\[~]|€");

/** Cheaper stand-ins for extension characters, used when a text is made to fit a budget. */
const EXTENSION_TO_BASIC: Record<string, string> = {
  "\f": " ",
  "^": "'",
  "{": "(",
  "}": ")",
  "\\": "/",
  "[": "(",
  "~": "-",
  "]": ")",
  "|": "/",
  "€": "EUR",
};

export const GSM7_SINGLE_SEGMENT = 160;
export const GSM7_MULTIPART_SEGMENT = 153;
export const UCS2_SINGLE_SEGMENT = 70;
export const UCS2_MULTIPART_SEGMENT = 67;

export type SmsEncoding = "gsm7" | "ucs2";

export interface SmsCost {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export function isGsm7Char(char: string): boolean {
  return GSM7_BASIC.has(char) || GSM7_EXTENSION.has(char);
}

export function isGsm7(text: string): boolean {
  for (const char of text) if (!isGsm7Char(char)) return false;
  return true;
}

/** Septets one GSM-7 character costs: 1 (basic), 2 (extension). Throws for a non-GSM-7 character. */
export function gsm7Units(char: string): number {
  if (GSM7_BASIC.has(char)) return 1;
  if (GSM7_EXTENSION.has(char)) return 2;
  throw new Error(`Not a GSM-7 character: U+${char.codePointAt(0)?.toString(16).toUpperCase()}`);
}

/** Length of a GSM-7 text in septets. */
export function gsm7Length(text: string): number {
  let units = 0;
  for (const char of text) units += gsm7Units(char);
  return units;
}

/**
 * What a text costs as an SMS. Multipart messages lose room to the concatenation header, and an
 * escape pair (GSM-7) or a surrogate pair (UCS-2) is never split across segments, so segments are
 * counted by filling them the way a handset does rather than by dividing.
 */
export function smsSegments(text: string): SmsCost {
  if (text.length === 0) return { encoding: "gsm7", units: 0, segments: 0 };
  if (isGsm7(text)) {
    const widths = [...text].map(gsm7Units);
    return { encoding: "gsm7", ...fill(widths, GSM7_SINGLE_SEGMENT, GSM7_MULTIPART_SEGMENT) };
  }
  const widths = [...text].map((char) => char.length);
  return { encoding: "ucs2", ...fill(widths, UCS2_SINGLE_SEGMENT, UCS2_MULTIPART_SEGMENT) };
}

function fill(widths: number[], single: number, multipart: number): { units: number; segments: number } {
  const units = widths.reduce((sum, w) => sum + w, 0);
  if (units <= single) return { units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > multipart) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { units, segments };
}

const EMOJI =
  /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[\u200d\ufe0e\ufe0f\u20e3]/gu;
// Line breaks, tabs and every other control or format character (bidi marks, zero-width spaces).
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * Rewrites any text into single-line GSM-7 that costs one septet per character: characters already
 * in the basic alphabet stay (é, ß, Ä...), runs of other scripts are transliterated (Путин → Putin,
 * 김정은 → GimJeongEun), extension characters get basic stand-ins, emoji and controls are dropped.
 */
export function toGsm7(text: string): string {
  const cleaned = text.normalize("NFC").replace(EMOJI, "").replace(CONTROL_OR_FORMAT, " ");
  let out = "";
  let foreignRun = "";
  const flush = () => {
    if (foreignRun === "") return;
    const ascii = anyAscii(foreignRun).replace(/`/g, "'");
    for (const char of ascii) out += GSM7_BASIC.has(char) ? char : (EXTENSION_TO_BASIC[char] ?? "");
    foreignRun = "";
  };
  for (const char of cleaned) {
    if (GSM7_BASIC.has(char)) {
      flush();
      out += char === "\n" || char === "\r" ? " " : char;
    } else if (GSM7_EXTENSION.has(char)) {
      flush();
      out += EXTENSION_TO_BASIC[char] ?? "";
    } else {
      foreignRun += char;
    }
  }
  flush();
  return out.replace(/ {2,}/g, " ").trim();
}

/**
 * Cuts a GSM-7 text to at most `maxUnits` septets, at a word boundary when one is close, and marks
 * the cut with "...". Returns the text unchanged when it fits.
 */
export function truncateGsm7(text: string, maxUnits: number): string {
  if (gsm7Length(text) <= maxUnits) return text;
  const ellipsis = "...";
  const room = maxUnits - ellipsis.length;
  if (room <= 0) return ellipsis.slice(0, Math.max(0, maxUnits));
  let cut = "";
  let used = 0;
  for (const char of text) {
    const width = gsm7Units(char);
    if (used + width > room) break;
    cut += char;
    used += width;
  }
  const lastSpace = cut.lastIndexOf(" ");
  // Prefer a whole word unless that throws away more than 40% of the room.
  if (lastSpace >= room * 0.6) cut = cut.slice(0, lastSpace);
  return `${cut.replace(/[\s,;:.-]+$/u, "")}${ellipsis}`;
}
