// Word lists as regex source: the list syntax of schema.ts (trailing `*`, spaces) turned into an
// alternation that the rules put between their own bounds. Pure.
import { type CueName, LANGUAGES, type LanguageCode } from "./schema.ts";

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** One word of a list as regex source: `*` → more letters, a space → any run of spaces. */
export function wordSource(word: string): string {
  const inflects = word.endsWith("*");
  const stem = (inflects ? word.slice(0, -1) : word).replace(SPECIAL, "\\$&").replace(/ +/g, "\\s+");
  return inflects ? `${stem}\\p{L}*` : stem;
}

/** A regex alternation of the given words, longest first so a longer word or ending wins. */
export function alternation(words: readonly string[]): string {
  const sorted = [...words].sort((a, b) => b.length - a.length);
  return `(?:${sorted.map(wordSource).join("|")})`;
}

/** One cue list of one language; empty where the language has no such cue. */
export function cueWords(name: CueName, language: LanguageCode): readonly string[] {
  return LANGUAGES[language].cues[name]?.words ?? [];
}
