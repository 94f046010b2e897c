// The matcher's cue patterns, built from the cue lists of en.json, ru.json and ko.json. The words
// are data; how a rule bounds them (English by \b, Russian by letters, Korean glued) and the
// punctuation around them are the rule's, here. Each builder returns a fresh regex. Pure.
import { CONJUNCTION_GENITIVE_PARTICLES, CONJUNCTION_PARTICLES } from "./korean.ts";
import { MONTH_NAMES } from "./months.ts";
import type { CueName, LanguageCode } from "./schema.ts";
import { alternation, cueWords } from "./words.ts";

/** Never matches: what an empty list stands for, so a list emptied in the data turns its cue off. */
const NOTHING = "(?!)";

/** The alternation of one cue list over the given languages. */
function cue(name: CueName, ...languages: LanguageCode[]): string {
  const words = languages.flatMap((language) => cueWords(name, language));
  return words.length === 0 ? NOTHING : alternation(words);
}

function anyOf(words: readonly string[]): string {
  return words.length === 0 ? NOTHING : alternation(words);
}

/** English whole words: \b on both sides. */
const en = (name: CueName) => `\\b${cue(name, "en")}\\b`;
/** Russian whole words: no letter on either side. */
const ru = (name: CueName) => `(?<!\\p{L})${cue(name, "ru")}(?!\\p{L})`;

// ---- Linkage between the two sides (engine.ts) ----

/** The gap between two names joins them: "Russia and North Korea", "Russia–DPRK", "러시아와 북한". */
export function coordinatedGapPattern(): RegExp {
  const words = anyOf([
    ...cueWords("coordinating", "en"),
    ...cueWords("coordinating", "ru"),
    ...cueWords("coordinating", "ko"),
    ...CONJUNCTION_PARTICLES,
    ...CONJUNCTION_GENITIVE_PARTICLES,
  ]);
  // A semicolon or a colon ends a clause: "IAEA censures Iran; Russia and China vote against".
  return new RegExp(`^[\\s,·/–—-]*${words}?[\\s,·/–—-]*$`, "iu");
}

/** Two clauses or two separate acts: "North Korea fires a missile as Russia hosts ...". */
export function clauseBreakPattern(): RegExp {
  return new RegExp(`${en("clauseBreak")}|[;—]|\\s–\\s`, "iu");
}

/** Text after the second side that makes it the source: "..., Russia's defence ministry says". */
export function reportingAfterPattern(): RegExp {
  return new RegExp(
    `^[^,;.]*?(?:${en("reportingVerb")}|(?<!\\p{L})${cue("reportingVerb", "ru")}|${cue("reportingVerb", "ko")})`,
    "iu",
  );
}

/** Text after a pair: each acts on its own ("Russia and North Korea both vote against ..."). */
export function eachAfterPattern(): RegExp {
  return new RegExp(
    `^(?:['’]s)?\\s+${cue("eachApart", "en")}\\b|^\\s*${cue("eachApart", "ru")}(?!\\p{L})|^\\S*\\s*${cue("eachApart", "ko")}`,
    "iu",
  );
}

/** Text after a pair that ranks it: "... are the world's most sanctioned nations". */
export function rankedAfterPattern(): RegExp {
  return new RegExp(
    `^(?:['’]s)?\\s+${cue("rankedVerb", "en")}\\s+(?:${cue("rankedArticle", "en")}\\s+)?(?:${cue("rankedScope", "en")}\\s+)?${cue("rankedHead", "en")}\\b`,
    "iu",
  );
}

/** Text after a pair that names their relation: "Moscow–Pyongyang partnership". */
export function relationAfterPattern(): RegExp {
  return new RegExp(`^(?:['’]s)?\\s+${cue("relationNoun", "en")}\\b`, "iu");
}

/** Text before a pair, ending on a third party's report: "Seoul says Russia and North Korea ...". */
export function speakerBeforePattern(): RegExp {
  return new RegExp(
    `(?:\\b${cue("speakerVerb", "en")}|(?<!\\p{L})${cue("speakerVerb", "ru")}|[:"“«])[\\s"“«]*(?:${cue("definiteArticle", "en")}\\s+)?$`,
    "iu",
  );
}

/** Text before a side that makes it a foil: "unlike North Korea", "в отличие от КНДР". */
export function foilBeforePattern(): RegExp {
  return new RegExp(
    `(?:\\b${cue("foilBefore", "en")}|(?<!\\p{L})${cue("foilBefore", "ru")})\\s+(?:${cue("definiteArticle", "en")}\\s+)?$`,
    "iu",
  );
}

/** Text after a side that makes it a foil: "북한과 달리". */
export function foilAfterPattern(): RegExp {
  return new RegExp(
    `^(?:['’]s)?${anyOf(CONJUNCTION_PARTICLES)}?\\s*${cue("foilAfter", "ko")}(?!\\p{L})`,
    "u",
  );
}

/** A sentence marked as another strand of news: "meanwhile", "тем временем", "한편". */
export function asidePattern(): RegExp {
  return new RegExp(`${en("aside")}|(?<!\\p{L})${cue("aside", "ru", "ko")}(?!\\p{L})`, "iu");
}

/** A conjunction inside a longer gap: two noun phrases listed, not one side acting on the other. */
export function listingGapPattern(): RegExp {
  return new RegExp(
    `${en("listingConjunction")}|${ru("listingConjunction")}|\\p{L}${anyOf(CONJUNCTION_PARTICLES)}\\s`,
    "iu",
  );
}

/** Items described apart: "each in its own chapter", "отдельно", "각각". */
export function separatelyPattern(): RegExp {
  return new RegExp(`${en("separately")}|${ru("separately")}|${cue("separately", "ko")}`, "iu");
}

// ---- Background clauses (background.ts) ----

/** A time marker opening a backdrop clause: "since", "after", "после"; global, for a scan. */
export function backdropOpeningPattern(): RegExp {
  return new RegExp(`${cue("backdropOpening", "en", "ru")}(?![\\p{L}\\p{N}])`, "giu");
}

/** A relative clause set off by a comma: ", who", ", подписавший"; global, for a scan. */
export function appositivePattern(): RegExp {
  return new RegExp(`,\\s*${cue("backdropRelative", "en", "ru")}(?![\\p{L}])`, "giu");
}

/** A time in the past: "last year", "since June 2024", "в 2023", "지난해". */
export function pastDatePattern(): RegExp {
  const year = "(?:19|20)\\d\\d";
  // English dates a year by its month too ("since June 2024"); the full names, from months.ts.
  const months = anyOf(MONTH_NAMES.flatMap((names) => names.en.slice(0, 1)));
  return new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${cue("pastTime", "en", "ru", "ko")}|${cue("pastYearPrefix", "en")}\\s+(?:${months}\\s+)?${year}|${cue("pastYearPrefix", "ru")}\\s+${year})(?![\\p{L}])`,
    "iu",
  );
}

/** Korean puts the marker last: "[푸틴 방북] 이후"; global, for a scan. */
export function backdropClosingPattern(): RegExp {
  return new RegExp(`${cue("backdropClosing", "ko")}(?![\\p{L}\\p{N}])`, "gu");
}

/** One of the story's landmark events: "visit", "договор", "방북". */
export function landmarkEventPattern(): RegExp {
  return new RegExp(
    `(?<![\\p{L}])${cue("landmarkEvent", "en", "ru")}(?![\\p{L}])|${cue("landmarkEvent", "ko")}`,
    "iu",
  );
}

/** After a comma, a relative clause that goes on describing the event: ", where he signed". */
export function relativeAfterPattern(): RegExp {
  return new RegExp(`^\\s*${cue("relativeContinuation", "en", "ru")}(?![\\p{L}])`, "iu");
}
