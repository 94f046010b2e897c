// One pass over an item's text for every alias at once: an Aho–Corasick automaton compiled to a
// dense DFA over the folded alphabet. Folding (case, ё/е, NFKC compatibility forms, dash and space
// variants) happens through the per-code-unit class table, so the scan reads the original string
// and reports offsets into it. Runs of spaces collapse inside the DFA itself.

import { BOUND_NOUNS, GLUED_ENDINGS } from "../language/korean.ts";
import { foldTables, normalizeText, Script } from "./normalize.ts";

export type PatternKind = "alias" | "false-friend" | "list-cue" | "roundup-cue" | "exclusion" | "context";

export interface Pattern {
  kind: PatternKind;
  /** Index into the watch list's entities (alias, exclusion, context); -1 otherwise. */
  entity: number;
  /** The folded pattern text. */
  text: string;
  /** Length in folded units (what the DFA consumed). */
  length: number;
  /** Trailing `*`: up to this many more letters of the same script are part of the word. */
  inflection: number;
  /** Script of the pattern's last character, for the right-boundary rule. */
  lastScript: Script;
}

const MAX_INFLECTION = 5;

const HANGUL_PARTICLES = new Set(GLUED_ENDINGS);
const HANGUL_BOUND_NOUNS = BOUND_NOUNS;

function isHangulSuffix(suffix: string): boolean {
  if (HANGUL_PARTICLES.has(suffix)) return true;
  return HANGUL_BOUND_NOUNS.some(
    (noun) =>
      suffix.startsWith(noun) &&
      (suffix.length === noun.length || HANGUL_PARTICLES.has(suffix.slice(noun.length))),
  );
}
// Names of made goods and places that look like "name + suffix" but mean something else stay
// out by listing them as false friends (북한산 mountain, 평양냉면), so "산" can mean "made in".

export interface Automaton {
  patterns: Pattern[];
  /**
   * Code unit → (alphabet class << KIND_BITS) | kind: one lookup per character tells both what the
   * trie sees (class 0: no alias uses it) and whether it separates words or asks for NFKC first.
   */
  charInfo: Uint16Array;
  /** The kind alone, a table half the size for the loops that only look for word boundaries. */
  kindOf: Uint8Array;
  classes: number;
  /**
   * trie[row + class] = the child's row (child state × classes), negated when a pattern ends at
   * the child; 0 when there is no child.
   */
  trie: Int32Array;
  /** Per state: where its patterns start in `outputs`, and how many end there. */
  outputStart: Int32Array;
  outputCount: Int32Array;
  outputs: Int32Array;
}

/** Expands `{a,b,}` alternatives (nested groups allowed one after another, not inside each other). */
export function expandAlias(alias: string): string[] {
  const open = alias.indexOf("{");
  if (open < 0) return [alias];
  const close = alias.indexOf("}", open);
  if (close < 0) return [alias];
  const head = alias.slice(0, open);
  const options = alias.slice(open + 1, close).split(",");
  const tails = expandAlias(alias.slice(close + 1));
  return options.flatMap((option) => tails.map((tail) => head + option + tail));
}

export interface PatternSource {
  kind: PatternKind;
  entity: number;
  alias: string;
}

export function compilePatterns(sources: PatternSource[]): Pattern[] {
  const { script } = foldTables();
  const seen = new Set<string>();
  const patterns: Pattern[] = [];
  for (const source of sources) {
    for (const variant of expandAlias(source.alias)) {
      const inflects = variant.trimEnd().endsWith("*");
      const text = normalizeText(inflects ? variant.trimEnd().slice(0, -1) : variant);
      if (text.length === 0) continue;
      const key = `${source.kind}\u0000${source.entity}\u0000${text}\u0000${inflects}`;
      if (seen.has(key)) continue;
      seen.add(key);
      patterns.push({
        kind: source.kind,
        entity: source.entity,
        text,
        length: text.length,
        inflection: inflects ? MAX_INFLECTION : 0,
        lastScript: (script[text.charCodeAt(text.length - 1)] ?? Script.None) as Script,
      });
    }
  }
  return patterns;
}

const SPACE_CLASS = 1;
const KIND_BITS = 2;
const KIND_MASK = 3;
const SEPARATOR = 0;
const WORD = 1;
const NEEDS_NFKC = 2;

export function buildAutomaton(patterns: Pattern[]): Automaton {
  const { fold, script, needsNfkc } = foldTables();

  // Alphabet: class 0 is "anything no pattern uses", 1 the (folded) space.
  const alphabet = new Map<number, number>([[0x20, SPACE_CLASS]]);
  for (const pattern of patterns) {
    for (let i = 0; i < pattern.text.length; i++) {
      const code = pattern.text.charCodeAt(i);
      if (!alphabet.has(code)) alphabet.set(code, alphabet.size + 1);
    }
  }
  const classes = alphabet.size + 1;
  if (classes >= 1 << (16 - KIND_BITS))
    throw new Error(`Watch list too large: ${classes} distinct characters`);
  const charInfo = new Uint16Array(0x10000);
  const kindOf = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    const folded = fold[code] ?? 0;
    const cls = needsNfkc[code] ? 0 : folded ? (alphabet.get(folded) ?? 0) : 0;
    const kind = needsNfkc[code] ? NEEDS_NFKC : script[code] === Script.None ? SEPARATOR : WORD;
    charInfo[code] = (cls << KIND_BITS) | kind;
    kindOf[code] = kind;
  }

  const children: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  patterns.forEach((pattern, index) => {
    let state = 0;
    for (let i = 0; i < pattern.text.length; i++) {
      const cls = alphabet.get(pattern.text.charCodeAt(i)) as number;
      const node = children[state] as Map<number, number>;
      let child = node.get(cls);
      if (child === undefined) {
        child = children.length;
        node.set(cls, child);
        children.push(new Map());
        own.push([]);
      }
      state = child;
    }
    (own[state] as number[]).push(index);
  });

  const states = children.length;
  const trie = new Int32Array(states * classes);
  const outputStart = new Int32Array(states);
  const outputCount = new Int32Array(states);
  const flat: number[] = [];
  for (let state = 0; state < states; state++) {
    for (const [cls, child] of children[state] as Map<number, number>) {
      // Negative when a pattern ends at the child, so the scan tests outputs with one comparison.
      trie[state * classes + cls] = (own[child] as number[]).length > 0 ? -child * classes : child * classes;
    }
    const list = own[state] as number[];
    outputStart[state] = flat.length;
    outputCount[state] = list.length;
    flat.push(...list);
  }
  return {
    patterns,
    charInfo,
    kindOf,
    classes,
    trie,
    outputStart,
    outputCount,
    outputs: Int32Array.from(flat),
  };
}

/**
 * Finds every pattern occurrence whose boundaries hold and appends it to `found` as three numbers
 * (pattern index, start, exclusive end; the end includes an inflection ending, not a Korean
 * particle): flat numbers rather than objects, as most items match a few topic words. Aliases start at word starts, so the scan
 * walks the trie only from there and skips the rest of each word: one table lookup per character
 * plus a few trie steps per word, with the hot part of the trie in cache.
 * Returns false when the text contains a character that only full NFKC normalization folds
 * correctly (a combining mark, a ligature); the caller normalizes and calls again with
 * `normalized` set.
 */
export function scan(automaton: Automaton, text: string, found: number[], normalized = false): boolean {
  const { charInfo, kindOf, classes, trie, outputStart, outputCount, outputs, patterns } = automaton;
  const { script } = foldTables();
  const length = text.length;
  let i = 0;
  while (i < length) {
    let kind = kindOf[text.charCodeAt(i)] as number;
    while (kind === SEPARATOR) {
      if (++i >= length) return true;
      kind = kindOf[text.charCodeAt(i)] as number;
    }
    if (kind === NEEDS_NFKC && !normalized) return false;

    // i starts a word: follow the trie as far as the text goes along it.
    let row = 0;
    let previousWasSpace = false;
    let leftWord = false;
    let j = i;
    for (; j < length; j++) {
      const current = charInfo[text.charCodeAt(j)] as number;
      const cls = current >> KIND_BITS;
      if (cls === SPACE_CLASS) {
        if (previousWasSpace) continue;
        previousWasSpace = true;
      } else previousWasSpace = false;
      const next = trie[row + cls] as number;
      if (next === 0) break;
      if ((current & KIND_MASK) !== WORD) leftWord = true;
      row = next;
      if (row > 0) continue;
      row = -row;
      const state = row / classes;
      const count = outputCount[state] as number;
      for (let n = 0; n < count; n++) {
        const patternIndex = outputs[(outputStart[state] as number) + n] as number;
        const end = confirm(text, j, patterns[patternIndex] as Pattern, script);
        if (end >= 0) found.push(patternIndex, i, end);
      }
    }

    // Skip the rest of the word; what the walk read inside it needs no second look.
    for (i = leftWord ? i + 1 : j; i < length; i++) {
      kind = kindOf[text.charCodeAt(i)] as number;
      if (kind === SEPARATOR) break;
      if (kind === NEEDS_NFKC && !normalized) return false;
    }
  }
  return true;
}

/** The end of the word a pattern matched at `last`, or −1 when its right boundary does not hold. */
function confirm(text: string, last: number, pattern: Pattern, script: Uint8Array): number {
  let end = last + 1;
  if (pattern.inflection > 0) {
    let extra = 0;
    while (
      extra < pattern.inflection &&
      end < text.length &&
      script[text.charCodeAt(end)] === pattern.lastScript
    ) {
      end++;
      extra++;
    }
  }
  if (end >= text.length || script[text.charCodeAt(end)] === Script.None) return end;
  // Korean particles attach to any name, Korean or not: 김정은이, KCNA는, DPRK의.
  if (script[text.charCodeAt(end)] === Script.Hangul) {
    let suffixEnd = end;
    while (suffixEnd < text.length && script[text.charCodeAt(suffixEnd)] === Script.Hangul) suffixEnd++;
    const atBoundary = suffixEnd >= text.length || script[text.charCodeAt(suffixEnd)] === Script.None;
    if (atBoundary && isHangulSuffix(text.slice(end, suffixEnd))) return end;
  }
  return -1;
}
