// Month names as the engines read them, from the language data (never written here): the watched
// languages' documents (en.json, ru.json) and feed-languages.json for the languages whose feeds are
// read but not watched. Feed-date parsing reads every language's names by their first letters;
// story signals read the English words and the Russian stems.
import { FEED_LANGUAGES, LANGUAGES } from "./schema.ts";

interface MonthNames {
  /** English names and abbreviations, whole words ("19 marines" is not the 19th of March). */
  en: readonly string[];
  /** Russian stems (the list's `*` dropped): names inflect (июня, июнь). */
  ru: readonly string[];
  /** How feeds in the other languages write it, every language of feed-languages.json. */
  other: readonly string[];
}

const MONTHS_IN_YEAR = 12;

function monthsOf(code: "en" | "ru"): readonly (readonly string[])[] {
  const months = LANGUAGES[code].dates?.months;
  if (!months)
    throw new Error(`Invalid language data shared/domain/language/${code}.json:\n  - dates.months: required`);
  return months;
}

const stem = (word: string) => word.replace(/\*$/u, "");

const EN = monthsOf("en");
const RU = monthsOf("ru");
const FEED_DATES = Object.values(FEED_LANGUAGES);

/** January first. */
export const MONTH_NAMES: readonly MonthNames[] = Array.from({ length: MONTHS_IN_YEAR }, (_, month) => ({
  en: EN[month] ?? [],
  ru: (RU[month] ?? []).map(stem),
  other: FEED_DATES.flatMap((dates) => (dates.months?.[month] ?? []).map(stem)),
}));
