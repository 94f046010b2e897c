// Background clauses: feed summaries date their story against the pact ("the first test since Kim
// hosted Putin in Pyongyang", "после визита Путина в Пхеньян", "북러 조약 체결 이후"). Such a clause
// names both sides, but the item is about something else; its words are no evidence of the item.
// The cue words are the language documents' (shared/domain/language/*.json).

import {
  appositivePattern,
  backdropClosingPattern,
  backdropOpeningPattern,
  landmarkEventPattern,
  pastDatePattern,
  relativeAfterPattern,
} from "../language/index.ts";
import { alternation, TOPIC_PARTICLES } from "../language/korean.ts";
import { HANGUL } from "../language/scripts.ts";

export interface Span {
  start: number;
  end: number;
}

/** A time marker that opens a backdrop clause running to the next comma or the end of the sentence. */
const OPENING_MARKER = backdropOpeningPattern();
/**
 * A relative clause set off by commas that recalls an earlier event: "Putin, who signed a defence
 * pact with Kim last year, told the forum ...". Without a past date ("who met Kim on Tuesday") it
 * is the news itself.
 */
const APPOSITIVE_MARKER = appositivePattern();
const PAST_DATE = pastDatePattern();
/** Korean puts the marker last: "[푸틴 방북] 이후", "[조약 체결] 뒤". */
const CLOSING_MARKER_KO = backdropClosingPattern();
/** Only a clause about one of the story's landmark events is a backdrop; "after fighting alongside Russian forces" is not. */
const EVENT = landmarkEventPattern();
const RELATIVE_AFTER = relativeAfterPattern();
const CLAUSE_END = /[,;:.!?。…]|\s[–—]\s/u;
/** How far back a Korean backdrop reaches: a few words, not past a topic-marked subject (북한은) or a comma. */
const KOREAN_WORDS_BACK = 4;
const KOREAN_TOPIC = new RegExp(`${alternation(TOPIC_PARTICLES)}$`, "u");

export function backgroundSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const marker of markers(OPENING_MARKER, text)) {
    // A word of its own: not the "after" in "aftermath" nor the one in "hereafter".
    if (WORD_CHAR.test(text.charAt(marker.index - 1))) continue;
    const from = marker.index + marker[0].length;
    const end = clauseEnd(text, from);
    if (EVENT.test(text.slice(from, end))) spans.push({ start: marker.index, end });
  }
  for (const marker of markers(APPOSITIVE_MARKER, text)) {
    const from = marker.index + marker[0].search(/\p{L}/u);
    const stop = CLAUSE_END.exec(text.slice(from));
    const end = stop ? from + stop.index : text.length;
    const clause = text.slice(from, end);
    if (EVENT.test(clause) && PAST_DATE.test(clause)) spans.push({ start: from, end });
  }
  if (!HANGUL.test(text)) return spans;
  for (const marker of markers(CLOSING_MARKER_KO, text)) {
    // Ending a word (조약 체결 이후, 방북후), never starting one.
    const before = text.charAt(marker.index - 1);
    const ends =
      WORD_CHAR.test(before) || (/\s/u.test(before) && WORD_CHAR.test(text.charAt(marker.index - 2)));
    if (!ends) continue;
    const start = koreanClauseStart(text, marker.index);
    if (start < marker.index && EVENT.test(text.slice(start, marker.index)))
      spans.push({ start, end: marker.index + marker[0].length });
  }
  return spans;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The matches of a global pattern, reusing it rather than cloning it per call as matchAll does. */
function* markers(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text); found; found = pattern.exec(text)) yield found;
}

/** The clause ends at a stop or comma, unless a relative clause goes on describing the event ("…from Pyongyang, where he signed the pact"). */
function clauseEnd(text: string, from: number): number {
  let end = from;
  for (;;) {
    const rest = text.slice(end);
    const stop = CLAUSE_END.exec(rest);
    if (!stop) return text.length;
    end += stop.index;
    if (text.charAt(end) !== "," || !RELATIVE_AFTER.test(text.slice(end + 1))) return end;
    end += 1;
  }
}

function koreanClauseStart(text: string, markerAt: number): number {
  let start = markerAt;
  for (let words = 0; words < KOREAN_WORDS_BACK; words++) {
    let cursor = start;
    while (cursor > 0 && /\s/u.test(text.charAt(cursor - 1))) cursor--;
    let wordStart = cursor;
    while (wordStart > 0 && !/[\s,;:.!?…"“”'‘’()[\]]/u.test(text.charAt(wordStart - 1))) wordStart--;
    const word = text.slice(wordStart, cursor);
    if (word.length === 0 || (words > 0 && KOREAN_TOPIC.test(word))) break;
    start = wordStart;
    if (wordStart === 0 || /[,;:.!?…]/u.test(text.charAt(wordStart - 1))) break;
  }
  return start;
}

export function within(spans: readonly Span[], start: number, end: number): boolean {
  return spans.some((span) => span.start <= start && end <= span.end);
}
