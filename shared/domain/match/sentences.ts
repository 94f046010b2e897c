// Sentence boundaries for evidence and snippets. Headlines and feed summaries are short, so a
// careful heuristic does: a stop (. ! ? 。 …) followed by a space ends a sentence unless it closes
// an initial or a common abbreviation (N. Korea, U.S., D.P.R.K., Gen., St.).

export interface Span {
  start: number;
  end: number;
}

const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "st",
  "gen",
  "lt",
  "col",
  "sgt",
  "capt",
  "maj",
  "adm",
  "gov",
  "sen",
  "rep",
  "jr",
  "sr",
  "no",
  "vs",
  "approx",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "inc",
  "corp",
  "co",
  "ltd",
  "т",
  "г",
  "гг",
  "им",
  "ул",
  "с",
  "н",
]);

const STOPS = new Set([".", "!", "?", "。", "！", "？", "…"]);
const LETTER = /\p{L}/u;
const SPACE = /\s/u;

export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === "\n") {
      if (i > start) spans.push({ start, end: i });
      start = i + 1;
      continue;
    }
    if (!STOPS.has(char)) continue;
    const next = text[i + 1];
    if (next !== undefined && !SPACE.test(next)) continue;
    if (char === "." && closesAbbreviation(text, i)) continue;
    spans.push({ start, end: i + 1 });
    start = i + 1;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans.length > 0 ? spans : [{ start: 0, end: text.length }];
}

function closesAbbreviation(text: string, dot: number): boolean {
  let wordStart = dot;
  while (wordStart > 0 && LETTER.test(text[wordStart - 1] as string)) wordStart--;
  const word = text.slice(wordStart, dot).toLowerCase();
  if (word.length === 1) return true;
  return ABBREVIATIONS.has(word);
}
