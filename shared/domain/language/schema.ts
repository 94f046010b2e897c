// The language data, described once: one zod schema for the document of each watched language
// (en.json, ru.json, ko.json), whose inferred type is what the code reads, and the dates of the
// languages whose feeds are read but not watched (feed-languages.json). The documents are
// validated once, when this module loads: a malformed file fails at cold start, naming file and path.
import * as z from "zod";
import { issueLines } from "../validation.ts";
import en from "./en.json" with { type: "json" };
import feedLanguages from "./feed-languages.json" with { type: "json" };
import ko from "./ko.json" with { type: "json" };
import ru from "./ru.json" with { type: "json" };

/**
 * A word or phrase of a list. Whole word by default (each rule says how it bounds a word: English
 * by \b, Russian by letters; Korean words are glued and match inside a word unless the rule
 * bounds them); a trailing `*` lets more letters follow (Russian stems: `визит*` finds визита);
 * a space matches any run of spaces. Other characters are literal.
 */
const Word = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[^*]+\*?$/u, "a '*' may only end the word");

/** A one-line note on what the list means. */
const Comment = z
  .string()
  .trim()
  .min(1)
  .regex(/^[^\n]*$/u, "one line");

/** No word twice in one list: a repeat is a slip that hides what the list holds. */
function unique(words: readonly string[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  words.forEach((word, i) => {
    if (seen.has(word)) ctx.addIssue({ code: "custom", path: [i], message: `"${word}" is listed twice` });
    seen.add(word);
  });
}

const Words = z.array(Word).superRefine(unique);

/** A list of words with a one-line `$comment` on what they mark. */
export const WordListSchema = z.object({ $comment: Comment, words: Words }).strict();

const NumberWordSchema = z.object({ value: z.number().int().positive(), words: Words.min(1) }).strict();
const ScaleWordSchema = NumberWordSchema.extend({
  /** Written with a stop or none ("тыс.", "mln"): they follow a figure, never a spelled number. */
  abbreviations: Words.optional(),
}).strict();

/** Korean grammar: the particles and endings glued to a name, in the groups the rules ask about. */
export const GrammarSchema = z
  .object({
    $comment: Comment,
    topic: WordListSchema,
    subject: WordListSchema,
    genitive: WordListSchema,
    conjunction: WordListSchema,
    conjunctionGenitive: WordListSchema,
    object: WordListSchema,
    otherCase: WordListSchema,
    sideSuffix: WordListSchema,
    gluedEndings: WordListSchema,
    boundNouns: WordListSchema,
  })
  .strict();

/** Cue lists the matcher's rules read; a language leaves out the ones its grammar does not use. */
export const CuesSchema = z
  .object({
    definiteArticle: WordListSchema,
    backdropOpening: WordListSchema,
    backdropClosing: WordListSchema,
    backdropRelative: WordListSchema,
    relativeContinuation: WordListSchema,
    pastTime: WordListSchema,
    pastYearPrefix: WordListSchema,
    landmarkEvent: WordListSchema,
    coordinating: WordListSchema,
    clauseBreak: WordListSchema,
    reportingVerb: WordListSchema,
    eachApart: WordListSchema,
    rankedVerb: WordListSchema,
    rankedArticle: WordListSchema,
    rankedScope: WordListSchema,
    rankedHead: WordListSchema,
    relationNoun: WordListSchema,
    speakerVerb: WordListSchema,
    foilBefore: WordListSchema,
    foilAfter: WordListSchema,
    aside: WordListSchema,
    listingConjunction: WordListSchema,
    separately: WordListSchema,
  })
  .partial()
  .strict();

/** How a language writes dates: its month names and the words around a date's figures. */
export const DatesSchema = z
  .object({
    $comment: Comment,
    /** Twelve lists, January first: names and abbreviations; a trailing `*` marks a stem that inflects. */
    months: z.array(Words.min(1)).length(12).optional(),
    /** Words after a date's figures and before its time, where the language writes them (Korean). */
    marks: z.object({ year: Word, month: Word, day: Word, am: Word, pm: Word }).strict().optional(),
  })
  .strict();

export const LANGUAGE_CODES = ["en", "ru", "ko"] as const;
export type LanguageCode = (typeof LANGUAGE_CODES)[number];

export const LanguageDataSchema = z
  .object({
    $comment: Comment,
    language: z.enum(LANGUAGE_CODES),
    /** Words a full stop may close without ending the sentence. */
    abbreviations: WordListSchema,
    /** Words that say nothing about which development a headline tells. */
    stopwords: WordListSchema,
    numbers: z
      .object({ $comment: Comment, digits: z.array(NumberWordSchema), scales: z.array(ScaleWordSchema) })
      .strict(),
    /** Only for a language that glues particles to words (Korean). */
    grammar: GrammarSchema.optional(),
    cues: CuesSchema,
    dates: DatesSchema.optional(),
  })
  .strict();

/**
 * Dates in the languages whose feeds are read but which are not watched (no document of their
 * own): one entry per language, by its ISO 639-1 code.
 */
export const FeedLanguagesSchema = z
  .object({ $comment: Comment, languages: z.record(z.string().regex(/^[a-z]{2}$/u), DatesSchema) })
  .strict();

export type LanguageData = z.infer<typeof LanguageDataSchema>;
export type WordList = z.infer<typeof WordListSchema>;
export type CueName = keyof z.infer<typeof CuesSchema>;
export type Grammar = z.infer<typeof GrammarSchema>;
export type Dates = z.infer<typeof DatesSchema>;

function invalid(file: string, problems: readonly string[]): Error {
  return new Error(`Invalid language data ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

/** Validates one language's document; the error names the file and every problem's path. */
export function parseLanguageData(raw: unknown, file: string, expected?: LanguageCode): LanguageData {
  const result = LanguageDataSchema.safeParse(raw);
  const problems = result.success ? [] : issueLines(result.error);
  if (result.success && expected !== undefined && result.data.language !== expected)
    problems.push(`language: "${result.data.language}" in the file of "${expected}"`);
  if (result.success && problems.length === 0) return result.data;
  throw invalid(file, problems);
}

/** Validates the document of the languages read but not watched, like parseLanguageData. */
export function parseFeedLanguages(raw: unknown, file: string): z.infer<typeof FeedLanguagesSchema> {
  const result = FeedLanguagesSchema.safeParse(raw);
  if (result.success) return result.data;
  throw invalid(file, issueLines(result.error));
}

/** The bundled documents, validated once. */
export const LANGUAGES: Readonly<Record<LanguageCode, LanguageData>> = {
  en: parseLanguageData(en, "shared/domain/language/en.json", "en"),
  ru: parseLanguageData(ru, "shared/domain/language/ru.json", "ru"),
  ko: parseLanguageData(ko, "shared/domain/language/ko.json", "ko"),
};

/** The bundled dates of the languages whose feeds are read but not watched, validated once. */
export const FEED_LANGUAGES: Readonly<Record<string, Dates>> = parseFeedLanguages(
  feedLanguages,
  "shared/domain/language/feed-languages.json",
).languages;
