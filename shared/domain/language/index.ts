// The per-language data (en.json, ru.json, ko.json, one schema in schema.ts) and what the code
// builds from it: cue patterns for the matcher, number words, stopwords, abbreviations.
import { LANGUAGE_CODES, LANGUAGES } from "./schema.ts";

export * from "./cues.ts";
export * from "./numbers.ts";
export {
  type CueName,
  LANGUAGE_CODES,
  LANGUAGES,
  type LanguageCode,
  type LanguageData,
  LanguageDataSchema,
  parseLanguageData,
} from "./schema.ts";
export { alternation, cueWords, wordSource } from "./words.ts";

/** Every language's words of one kind, as one set. */
function allWords(kind: "abbreviations" | "stopwords"): ReadonlySet<string> {
  return new Set(LANGUAGE_CODES.flatMap((code) => LANGUAGES[code][kind].words));
}

/** Words a full stop may close without ending the sentence (lower case, no stop). */
export function abbreviations(): ReadonlySet<string> {
  return allWords("abbreviations");
}

/** Headline words that say nothing about which development it tells (lower case). */
export function stopwords(): ReadonlySet<string> {
  return allWords("stopwords");
}
