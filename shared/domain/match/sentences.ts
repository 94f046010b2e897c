// Sentence boundaries for evidence and snippets. Headlines and feed summaries are short, so a
// careful heuristic does: a stop (. ! ? 。 …) followed by a space ends a sentence unless it closes
// an initial or a common abbreviation (N. Korea, U.S., D.P.R.K., Gen., St.). Intl.Segmenter was
// measured for this and not taken: it splits after every initial and abbreviation (N. | Korea,
// Gen. | Kim, В. | В. Путин), so it needs the same guard, and it is 2-3x slower on feed summaries.
import { abbreviations } from "../language/index.ts";

export interface Span {
  start: number;
  end: number;
}

/** Per language in the language documents (en.json: Gen., St.; ru.json: г., ул.). */
const ABBREVIATIONS = abbreviations();

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
