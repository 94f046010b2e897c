// Number words from the language documents: spelled digits ("three", "трёх") and scale words
// ("thousand", "тыс.", "만") as the story signals read figures. Pure.
import { LANGUAGE_CODES, LANGUAGES } from "./schema.ts";
import { alternation } from "./words.ts";

const numbers = LANGUAGE_CODES.map((code) => LANGUAGES[code].numbers);
const digits = numbers.flatMap((n) => n.digits).sort((a, b) => a.value - b.value);
/** Spelled numbers pair with the scale words of the languages that spell digits ("three thousand"). */
const spelledScales = numbers.filter((n) => n.digits.length > 0).flatMap((n) => n.scales);
const scales = numbers.flatMap((n) => n.scales).sort((a, b) => a.value - b.value);

/** A spelled number before a spelled scale word: group 1 the number, group 2 the scale; global. */
export function spelledQuantityPattern(): RegExp {
  const digitWords = alternation(digits.flatMap((d) => d.words));
  const scaleWords = alternation(spelledScales.flatMap((s) => s.words));
  return new RegExp(`(?<![\\p{L}\\p{N}])(${digitWords})\\s+(${scaleWords})`, "gu");
}

/** Each spelled number's value, tested against a whole (lower-case) word. */
export function spelledDigits(): ReadonlyArray<readonly [RegExp, number]> {
  return digits.map((d) => [new RegExp(`^${alternation(d.words)}$`, "u"), d.value] as const);
}

/**
 * Each scale word's value, tested at the start of the text after a figure or of a spelled scale
 * word: words and abbreviations are prefixes there ("тысячи", "млн.", "10만"), smallest scale first.
 */
export function scaleWords(): ReadonlyArray<readonly [RegExp, number]> {
  return scales.map((s) => {
    const prefixes = [...s.words, ...(s.abbreviations ?? [])].map((word) => word.replace(/\*$/u, ""));
    return [new RegExp(`^\\s*${alternation(prefixes)}`, "u"), s.value] as const;
  });
}
