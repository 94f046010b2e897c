// Text normalization shared by the watch list compiler and the matcher. Folding is defined per UTF-16
// code unit so that the matcher can apply it through a lookup table while it scans, without building
// a normalized copy of every item; `normalizeText` is the same folding applied to a whole string.

/** Every dash, hyphen and space variant folds to this, so "Kim Jong-un" and "Kim Jong Un" meet. */
export const SPACE = " ";
/** Apostrophe variants fold to ASCII "'" (possessives, "Korean People’s Army"). */
export const APOSTROPHE = "'";
/** Middle-dot variants used in Korean compounds (북·러) fold to U+00B7. */
export const MIDDLE_DOT = "·";

const SPACE_LIKE = /[\p{White_Space}\p{Pd}\u00ad\u2212_/]/u;
const APOSTROPHE_LIKE = /['\u2018\u2019\u201b\u02bc\u02bb\u0060\u00b4\u2032]/u;
const MIDDLE_DOT_LIKE = /[\u00b7\u119e\u2027\u30fb\u318d\u2219\u22c5\uff65]/u;
const WORD_LIKE = /[\p{L}\p{N}\p{M}]/u;

/** Script of a word character, for boundary rules: 0 is "not part of a word". */
export const Script = { None: 0, Other: 1, Latin: 2, Cyrillic: 3, Hangul: 4 } as const;
export type Script = (typeof Script)[keyof typeof Script];

/** Per-code-unit tables, built once per process (65,536 entries each). */
export interface FoldTables {
  /** Folded character code, or 0 when the code unit has no single-character fold. */
  fold: Uint16Array;
  script: Uint8Array;
  /** 1 where the whole item must be NFKC-normalized first. */
  needsNfkc: Uint8Array;
}

let tables: FoldTables | undefined;

/** Marks every BMP code unit matched by `pattern` (one regex pass instead of 65,536 tests). */
function codeUnitsMatching(bmp: string, characterClass: RegExp): Uint8Array {
  const marks = new Uint8Array(0x10000);
  // Runs, not single characters: a few thousand matches instead of tens of thousands.
  for (const run of bmp.matchAll(new RegExp(`${characterClass.source}+`, "gu"))) {
    marks.fill(1, run.index, run.index + run[0].length);
  }
  return marks;
}

export function foldTables(): FoldTables {
  if (tables) return tables;
  // Every BMP code unit once, surrogates blanked so no two of them pair up: decoded in one call,
  // which is several times faster than joining 65,536 one-character strings at cold start.
  const codes = new Uint16Array(0x10000);
  for (let code = 0; code < 0x10000; code++) codes[code] = code >= 0xd800 && code <= 0xdfff ? 0 : code;
  const bmp = new TextDecoder("utf-16le").decode(codes);
  const space = codeUnitsMatching(bmp, SPACE_LIKE);
  const apostrophe = codeUnitsMatching(bmp, APOSTROPHE_LIKE);
  const middleDot = codeUnitsMatching(bmp, MIDDLE_DOT_LIKE);
  const word = codeUnitsMatching(bmp, WORD_LIKE);
  const mark = codeUnitsMatching(bmp, /\p{M}/u);
  const hangul = codeUnitsMatching(bmp, /\p{Script=Hangul}/u);
  const cyrillic = codeUnitsMatching(bmp, /\p{Script=Cyrillic}/u);
  const latin = codeUnitsMatching(bmp, /\p{Script=Latin}/u);

  const fold = new Uint16Array(0x10000);
  const script = new Uint8Array(0x10000);
  const needsNfkc = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) {
      script[code] = Script.Other;
      continue;
    }
    script[code] = word[code]
      ? hangul[code]
        ? Script.Hangul
        : cyrillic[code]
          ? Script.Cyrillic
          : latin[code]
            ? Script.Latin
            : Script.Other
      : Script.None;
    if (space[code]) {
      fold[code] = 0x20;
      continue;
    }
    if (apostrophe[code]) {
      fold[code] = 0x27;
      continue;
    }
    if (middleDot[code]) {
      fold[code] = 0xb7;
      continue;
    }
    if (mark[code]) {
      needsNfkc[code] = 1;
      continue;
    }
    const char = bmp[code] as string;
    // ASCII, Hangul syllables and CJK ideographs are their own NFKC form: skip half the plane.
    const stable = code < 0x80 || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0x4e00 && code <= 0x9fff);
    const compatible = stable ? char : char.normalize("NFKC");
    if (compatible.length !== 1) {
      // "…" and its kin expand to punctuation only: a separator, not a reason to renormalize.
      if (!WORD_LIKE.test(compatible)) fold[code] = 0x20;
      else needsNfkc[code] = 1;
      continue;
    }
    const lower = compatible.toLowerCase();
    if (lower.length !== 1) {
      needsNfkc[code] = 1;
      continue;
    }
    const lowerCode = lower.charCodeAt(0);
    fold[code] =
      lowerCode === 0x451 ? 0x435 : space[lowerCode] ? 0x20 : apostrophe[lowerCode] ? 0x27 : lowerCode;
  }
  tables = { fold, script, needsNfkc };
  return tables;
}

/**
 * The folding the matcher applies, on a whole string: NFKC, case folding, ё→е, dash/space variants
 * to one space, runs of spaces collapsed, trimmed. Used for aliases and for display of what matched.
 */
export function normalizeText(text: string): string {
  const { fold } = foldTables();
  const nfkc = text.normalize("NFKC");
  let out = "";
  let lastWasSpace = true;
  for (let i = 0; i < nfkc.length; i++) {
    const code = fold[nfkc.charCodeAt(i)] ?? 0;
    if (code === 0) {
      // Astral characters (emoji, rare CJK) pass through lower-cased; they never join an alias.
      const point = nfkc.codePointAt(i) ?? 0;
      if (point > 0xffff) {
        out += String.fromCodePoint(point).toLowerCase();
        i++;
        lastWasSpace = false;
      }
      continue;
    }
    if (code === 0x20) {
      if (!lastWasSpace) out += " ";
      lastWasSpace = true;
      continue;
    }
    out += String.fromCharCode(code);
    lastWasSpace = false;
  }
  return out.endsWith(" ") ? out.slice(0, -1) : out;
}
