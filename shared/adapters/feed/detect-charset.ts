// The charset of a feed that declares none (no BOM, no header charset, no prolog encoding) and is
// not valid UTF-8, guessed by jschardet (a port of Python's chardet, which feedparser uses too).
import { chardet } from "jschardet";

/**
 * The encodings this product meets in undeclared feeds: Russian, Korean, Western European, and
 * the East Asian, Thai and Hebrew legacy encodings feed readers are routinely handed. Limiting
 * the detector to them keeps it from answering with a Mac or DOS code page nobody serves.
 */
const CANDIDATES = [
  "windows-1251",
  "koi8-r",
  "cp949",
  "euc-kr",
  "windows-1252",
  "iso-8859-1",
  "big5",
  "euc-jp",
  "shift_jis",
  "cp932",
  "gb2312",
  "gb18030",
  "tis-620",
  "cp874",
  "windows-1255",
  "utf-8",
] as const;

/** chardet's names for Microsoft supersets, as the Encoding Standard labels them. */
const WHATWG_LABEL: Readonly<Record<string, string>> = {
  cp949: "euc-kr",
  cp932: "shift_jis",
  cp874: "windows-874",
  "tis-620": "windows-874",
  "iso-8859-1": "windows-1252",
};

/** How many bytes the detector reads: a few hundred items of text is plenty of evidence. */
const DETECTION_MAX_BYTES = 64 * 1024;

/**
 * Fewer bytes outside ASCII than one short headline holds are not evidence a statistical detector
 * can weigh (four bytes read as well in Shift_JIS as in windows-1252): the fallback decides then.
 */
const MIN_EVIDENCE_BYTES = 16;

/** The detector's best guess among CANDIDATES, as an encoding label; undefined when it has none. */
export function detectCharset(bytes: Uint8Array): string | undefined {
  if (countNonAscii(bytes, MIN_EVIDENCE_BYTES) < MIN_EVIDENCE_BYTES) return undefined;
  const result = chardet.detect(bytes, {
    includeEncodings: CANDIDATES,
    maxBytes: DETECTION_MAX_BYTES,
  });
  const name = result.encoding?.toLowerCase();
  if (!name || name === "utf-8" || name === "ascii") return undefined;
  return WHATWG_LABEL[name] ?? name;
}

function countNonAscii(bytes: Uint8Array, enough: number): number {
  let count = 0;
  for (const byte of bytes) if (byte >= 0x80 && ++count >= enough) break;
  return count;
}
