// What an item names but does not report: a backdrop clause ("weeks after Putin's visit"), a foil
// ("unlike North Korea"), a "meanwhile" aside. Such mentions are taken out before the rules judge.

import { asidePattern, foilAfterPattern, foilBeforePattern } from "../language/index.ts";
import { backgroundSpans, within } from "./background.ts";
import { type Compiled, type FieldScan, type Hit, TOPIC } from "./compiled.ts";
import { bothNamed, sidesOf } from "./evidence.ts";
import { FOIL_AFTER_REACH, FOIL_BEFORE_REACH } from "./linkage.ts";
import { splitSentences } from "./sentences.ts";

/** A title naming both sides sets the subject; only a title that does not may be undone by a backdrop. */
export function titleRelatesSides(compiled: Compiled, title: FieldScan): boolean {
  return bothNamed(sidesOf(compiled, title.hits));
}

/**
 * News that is the pair's business by itself (the document's `backdropCarriers`): North Korean
 * soldiers or shells sent "since the summit" went to Russia, and "North Korea ratifies treaty, days
 * after Putin signed it" is the pact's own step. Beside such news a backdrop is part of the story,
 * not a date stamp.
 */
export function carriesRelation(
  compiled: Compiled,
  topics: ReadonlySet<string> | undefined,
  inTitle: boolean,
): boolean {
  if (!topics) return false;
  return compiled.carriers.some(
    (carrier) => (carrier.inHeadline || !inTitle) && carrier.topics.every((topic) => topics.has(topic)),
  );
}

/**
 * Drops the summary hits that only date the item against the story ("weeks after Putin's visit to
 * Pyongyang"). Expects the hits' sentences assigned.
 */
export function withoutBackground(
  compiled: Compiled,
  hits: readonly Hit[],
  summaryText: string,
): readonly Hit[] {
  const spans = backgroundSpans(summaryText);
  if (spans.length === 0) return hits;
  const inBackdrop = (hit: Hit) => hit.field === "summary" && within(spans, hit.start, hit.end);
  const topicsBySentence = new Map<number, Set<string>>();
  for (const hit of hits) {
    if (inBackdrop(hit)) continue;
    const topics = topicsBySentence.get(hit.sentence) ?? new Set<string>();
    topics.add(compiled.entities[hit.entity]?.id ?? "");
    topicsBySentence.set(hit.sentence, topics);
  }
  const carried = (sentence: number) =>
    carriesRelation(compiled, topicsBySentence.get(0), true) ||
    carriesRelation(compiled, topicsBySentence.get(sentence), false);
  return hits.filter((hit) => !inBackdrop(hit) || carried(hit.sentence));
}

/** "unlike North Korea", "в отличие от КНДР", "북한과 달리": the side is named as a foil, not a party. */
export const FOIL_BEFORE = foilBeforePattern();
export const FOIL_AFTER = foilAfterPattern();
/**
 * "Russia, meanwhile, held drills": a summary sentence marked as a separate strand names one side
 * for another story. It counts only when it names both sides itself.
 */
export const ASIDE = asidePattern();

export function withoutForeignMentions(
  compiled: Compiled,
  hits: readonly Hit[],
  titleText: string,
  summaryText: string,
): readonly Hit[] {
  const sideOf = (hit: Hit) => compiled.sideOf[hit.entity] as number;
  const isSide = (hit: Hit) => sideOf(hit) !== TOPIC && compiled.entities[hit.entity]?.pair !== true;
  const textOf = (hit: Hit) => (hit.field === "title" ? titleText : summaryText);
  const foil = (hit: Hit) =>
    isSide(hit) &&
    (FOIL_BEFORE.test(textOf(hit).slice(Math.max(0, hit.start - FOIL_BEFORE_REACH), hit.start)) ||
      FOIL_AFTER.test(textOf(hit).slice(hit.end, hit.end + FOIL_AFTER_REACH)));
  let kept = hits.some(foil) ? hits.filter((hit) => !foil(hit)) : hits;
  if (!ASIDE.test(summaryText)) return kept;
  const sentences = splitSentences(summaryText);
  const asides = new Set<number>();
  sentences.forEach((span, index) => {
    if (!ASIDE.test(summaryText.slice(span.start, span.end))) return;
    const inside = kept.filter((hit) => hit.field === "summary" && hit.sentence === index + 1);
    const sides = new Set(inside.filter(isSide).map(sideOf));
    if (sides.size < 2) asides.add(index + 1);
  });
  if (asides.size > 0) kept = kept.filter((hit) => hit.field !== "summary" || !asides.has(hit.sentence));
  return kept;
}
