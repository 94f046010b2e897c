// The evidence a report gives for story grouping, in any watched language: matched entities,
// lexicon acts, objects, actors, places and sites (the watch-list document's lexicon, compiled in
// lexicon.ts), figures, dates and years, each with a weight. Pure.

import { scaleWords, spelledDigits, spelledQuantityPattern, stopwords } from "../language/index.ts";
import { MONTH_NAMES } from "../language/months.ts";
import { HANGUL } from "../language/scripts.ts";
import type { StoredItem } from "../types.ts";
import { DEFAULT_VOCABULARY, type StoryVocabulary } from "./lexicon.ts";

/**
 * How much a signal of each kind says. People and places (`e:`) are specific; topic entities
 * (`t:`, "diplomacy", "economy") are watch-list categories that many developments share, so the
 * finer concepts (`c:`) carry more; figures and dates are the most telling.
 */
const KIND_WEIGHT: Record<string, number> = { e: 1, t: 0.5, c: 1, p: 1, s: 1, n: 1.5, d: 1.5, y: 0.3 };
/** Evidence found only in a news summary counts for less than evidence in the headline. */
const SUMMARY_FACTOR = 0.6;
const CACHE_LIMIT = 20_000;

export function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

export function headlineTokens(
  title: string,
  language: string,
  vocabulary: StoryVocabulary = DEFAULT_VOCABULARY,
): Set<string> {
  return memo(vocabulary.caches.tokens, `${language}\u0000${title}`, () =>
    titleTokens(title, language, vocabulary),
  );
}

/** An act or object that names an event: not the backdrop of every development (the treaty). */
export function isEventConcept(signal: string, vocabulary: StoryVocabulary = DEFAULT_VOCABULARY): boolean {
  return signal.startsWith("c:") && !vocabulary.backdropConcepts.has(signal);
}

/** Concepts a headline names as what happened. */
export function headlineConcepts(
  title: string,
  vocabulary: StoryVocabulary = DEFAULT_VOCABULARY,
): Set<string> {
  return memo(
    vocabulary.caches.concepts,
    title,
    () =>
      new Set([...textSignals(title, undefined, vocabulary)].filter((s) => isEventConcept(s, vocabulary))),
  );
}

/**
 * What one signal of its kind weighs. Weak evidence (lexicon.ts): broad topics, the two leaders
 * (named in most developments whoever acts in them) and group entities (they say which side, not
 * who); backdrop objects weigh like a topic and name no event.
 */
export function kindWeight(signal: string, vocabulary: StoryVocabulary = DEFAULT_VOCABULARY): number {
  const background = vocabulary.backgroundWeight[signal];
  if (background !== undefined) return background;
  if (vocabulary.backdropConcepts.has(signal)) return KIND_WEIGHT.t ?? 0.5;
  return KIND_WEIGHT[signal.slice(0, signal.indexOf(":"))] ?? 1;
}

/**
 * Language-independent evidence of what an item reports, with weights: `e:` matched people and
 * places, `t:` matched topics, `c:` event concepts, `p:` places, `n:` quantities, `d:` calendar
 * dates, `y:` years.
 */
export function itemSignals(
  item: Pick<StoredItem, "title" | "summary" | "match"> &
    Partial<Pick<StoredItem, "published" | "seenAt" | "official">>,
  vocabulary: StoryVocabulary = DEFAULT_VOCABULARY,
  generic: ReadonlySet<string> = new Set(vocabulary.genericEntities),
): Map<string, number> {
  // An official statement's headline is a formula ("Comment by the Information and Press
  // Department on ..."): its body is the statement itself and counts like a news headline.
  const summaryFactor = item.official ? 1 : SUMMARY_FACTOR;
  const signals = new Map<string, number>();
  const add = (signal: string, weight: number) =>
    signals.set(signal, Math.max(signals.get(signal) ?? 0, weight));

  for (const entity of item.match.entities) {
    if (generic.has(entity)) continue;
    const hits = item.match.hits.filter((hit) => hit.entity === entity);
    const inTitle = hits.length === 0 || hits.some((hit) => hit.field === "title");
    const signal = hits.some((hit) => hit.side === "topic") ? `t:${entity}` : `e:${entity}`;
    add(signal, kindWeight(signal, vocabulary) * (inTitle ? 1 : summaryFactor));
  }
  const reference = new Date(item.published ?? item.seenAt ?? Number.NaN);
  for (const [text, factor] of [
    [item.title, 1],
    [item.summary, summaryFactor],
  ] as const) {
    // A figure is as specific in the summary as in the headline, and summaries are where
    // reports give them.
    for (const signal of textSignals(text, reference, vocabulary))
      add(signal, kindWeight(signal, vocabulary) * (signal.startsWith("n:") ? 1 : factor));
  }
  // A watch-list topic and the event concept that mostly comes from the same words ("troops")
  // are one piece of evidence, not two.
  for (const [topic, concept] of vocabulary.topicConcepts) if (signals.has(concept)) signals.delete(topic);
  return signals;
}

/** Signals found in free text, in any of the watched languages. */
export function textSignals(
  text: string,
  reference?: Date,
  vocabulary: StoryVocabulary = DEFAULT_VOCABULARY,
): Set<string> {
  const found = new Set<string>();
  const lower = text.normalize("NFKC").toLowerCase();
  for (const [id, pattern] of vocabulary.patterns) if (pattern.test(lower)) found.add(id);
  const cased = text.normalize("NFKC");
  for (const [id, pattern] of vocabulary.acronyms) if (pattern.test(cased)) found.add(id);
  const calendar = dates(lower, reference);
  for (const signal of calendar.signals) found.add(signal);
  // The day of a date is not a quantity: "26 November" must not also count as the figure 26.
  let rest = lower;
  for (const [start, end] of calendar.spans)
    rest = `${rest.slice(0, start)}${" ".repeat(end - start)}${rest.slice(end)}`;
  for (const signal of quantities(rest)) found.add(signal);
  return found;
}

/** Small numbers spelled out before a scale word: "three thousand", "трёх тысяч" (language documents). */
const SPELLED_DIGITS = spelledDigits();
const SPELLED_QUANTITY = spelledQuantityPattern();
const SCALE_WORDS = scaleWords();

/**
 * Quantities, normalised across languages: "100,000 tonnes", "100 тысяч тонн" and "10만 톤" are
 * all `n:100000`. Single digits without a scale and four-digit years are too common to count
 * (years become the weak `y:` signal).
 */
function quantities(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SPELLED_QUANTITY)) {
    const digit = SPELLED_DIGITS.find(([pattern]) => pattern.test(match[1] ?? ""))?.[1];
    const scale = SCALE_WORDS.find(([pattern]) => pattern.test(match[2] ?? ""))?.[1];
    if (digit !== undefined && scale !== undefined) found.push(`n:${digit * scale}`);
  }
  // A model's designation is a name, not a figure: Su-35, S-400, KN-23, Ил-76.
  const number = /(?<![\p{L}\p{N}.,])(?<!\p{L}[-‐‑–])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?:[.,](\d+))?/gu;
  for (const match of text.matchAll(number)) {
    const whole = (match[1] ?? "").replace(/[,\u00a0\u202f ]/g, "");
    const fraction = match[2];
    const rest = text.slice((match.index ?? 0) + match[0].length);
    const scale = SCALE_WORDS.find(([pattern]) => pattern.test(rest))?.[1];
    // "1,5 млн" uses a decimal comma; "100,000" uses a thousands comma (three digits after it).
    let value = Number(whole);
    if (fraction !== undefined && (scale !== undefined || fraction.length !== 3))
      value = Number(`${whole}.${fraction}`);
    else if (fraction !== undefined) value = Number(`${whole}${fraction}`);
    if (!Number.isFinite(value)) continue;
    if (scale !== undefined) value *= scale;
    else if (value >= 1900 && value <= 2100 && Number.isInteger(value) && whole.length === 4) {
      found.push(`y:${value}`);
      continue;
    } else if (value < 10) continue;
    found.push(`n:${Math.round(value * 1000) / 1000}`);
  }
  return found;
}

/**
 * Calendar dates: "June 19", "19 June", "19 июня", "6월 19일" are all `d:6-19`. Korean reports
 * often give the day alone ("26일"); with the item's own date as reference it becomes a full date
 * (this month, or last month for a day still to come).
 */
function dates(text: string, reference?: Date): { signals: string[]; spans: Array<[number, number]> } {
  const signals: string[] = [];
  const spans: Array<[number, number]> = [];
  const known = reference !== undefined && !Number.isNaN(reference.getTime());
  // A date given with another year ("the treaty of 19 June 2024" in a 2026 report) recalls the
  // past; it says nothing about which development of this week the report tells.
  const found = (start: number, end: number, month: number, day: number, year?: string) => {
    spans.push([start, end]);
    if (year !== undefined && known && Number(year) !== reference.getUTCFullYear()) return;
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) signals.push(`d:${month}-${day}`);
  };
  const yearAfter = (end: number) => /^,?\s*(\d{4})(?!\d)/u.exec(text.slice(end))?.[1];
  // Russian month names inflect ("июня", "июнь"), so their stems start the word; English ones
  // must match whole: "19 marines" is not the 19th of March.
  const monthOf = (word: string): number | undefined => {
    const index = MONTH_NAMES.findIndex(
      (names) => names.en.includes(word) || names.ru.some((stem) => word.startsWith(stem)),
    );
    return index < 0 ? undefined : index + 1;
  };
  const dayMonth = /(?<!\d)(\d{1,2})\s+([\p{L}]+)/gu;
  const monthDay = /([\p{L}]+)\.?\s+(\d{1,2})(?!\d)/gu;
  for (const m of text.matchAll(dayMonth)) {
    const month = monthOf(m[2] ?? "");
    const end = m.index + m[0].length;
    if (month !== undefined) found(m.index, end, month, Number(m[1]), yearAfter(end));
  }
  for (const m of text.matchAll(monthDay)) {
    const month = monthOf(m[1] ?? "");
    const end = m.index + m[0].length;
    if (month !== undefined) found(m.index, end, month, Number(m[2]), yearAfter(end));
  }
  for (const m of text.matchAll(/(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일/gu))
    found(m.index, m.index + m[0].length, Number(m[2]), Number(m[3]), m[1]);
  if (known) {
    for (const m of text.matchAll(/(?<![\d월]\s*|\d)(\d{1,2})\s*일(?!본)/gu)) {
      const day = Number(m[1]);
      const month = reference.getUTCMonth() + 1;
      const inMonth = day <= reference.getUTCDate() + 1 ? month : ((month + 10) % 12) + 1;
      found(m.index, m.index + m[0].length, inMonth, day);
    }
  }
  return { signals, spans };
}

/**
 * Headline words that say which development it is. The parties' own names are left out (every
 * headline has them), as are function words; the rest is cut to a prefix so "ratifies" and
 * "ratified", "договор" and "договора" meet. Korean words become syllable pairs, which survive
 * the particles glued to them.
 */
export function titleTokens(
  title: string,
  language: string,
  vocabulary: StoryVocabulary = DEFAULT_VOCABULARY,
): Set<string> {
  const generic = vocabulary.genericTitleWords;
  const tokens = new Set<string>();
  const folded = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(\d)[,.\u00a0\u202f ](?=\d{3}(?!\d))/gu, "$1");
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    if (HANGUL.test(word)) {
      if (generic.some((name) => word.startsWith(name))) continue;
      const syllables = [...word];
      for (let i = 0; i + 1 < syllables.length; i++) tokens.add(`${syllables[i]}${syllables[i + 1]}`);
      continue;
    }
    if (word.length < 3 && !/\d/.test(word)) continue;
    if (STOPWORDS.has(word)) continue;
    if (generic.some((name) => word.startsWith(name))) continue;
    tokens.add(language === "ko" ? word : word.slice(0, 5));
  }
  return tokens;
}

/** Dice overlap of two headlines' words. */
export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size < 2 || b.size < 2) return 0;
  let common = 0;
  for (const token of a) if (b.has(token)) common++;
  return (2 * common) / (a.size + b.size);
}

const STOPWORDS = stopwords();
