// Roundups and briefs ("Weather roundup: heatwave grips Moscow, floods swamp Pyongyang", "[주간
// 국제] …", "Дайджест: …") string separate stories together: both sides named in one item says
// nothing. Such an item is relevant only when one of its segments itself relates the two sides.
// Pure.
import { listingGapPattern, separatelyPattern } from "../language/index.ts";
import { HANGUL } from "../language/scripts.ts";
import { type Compiled, type Field, type FieldScan, type Hit, TOPIC } from "./compiled.ts";
import { bothNamed, sidesOf, strongSideOf } from "./evidence.ts";
import { COORDINATED, linkageOf } from "./linkage.ts";
import type { Verdict } from "./rules.ts";
import { SCORE } from "./scores.ts";

/**
 * Where one story of a roundup ends and the next begins: ellipses, semicolons, middle dots, pipes,
 * spaced dashes, commas (not one right after a Korean name, which marks the subject: "러시아,
 * 북한에 …") and colons (the label "Weather roundup:"), and sentence ends (not the stop
 * of an initial: "N. Korean"). A pair term
 * (북·러, "Russia-DPRK") is one hit, so a middle dot inside it splits nothing.
 */
const SEGMENT_BREAK = /(?:…|\.{3}|[;|·•])\s*|,\s|:\s|\s[-–—]\s|(?<!(?:^|[^\p{L}])\p{Lu})[.!?。](?:\s|$)/gu;

/** A hit's part in a segment: one of the two sides ("a", "b"), a term naming both, or a topic. */
export type SegmentRole = "a" | "b" | "pair" | "topic";

export interface SegmentHit {
  field: "title" | "summary";
  start: number;
  end: number;
}

/** The start offsets of the segments of a text (the first is 0); `nameEnds`: where names end. */
export function segmentStarts(text: string, nameEnds: ReadonlySet<number> = new Set()): number[] {
  const starts = [0];
  for (const match of text.matchAll(SEGMENT_BREAK)) {
    const subjectComma =
      match[0].startsWith(",") && nameEnds.has(match.index) && HANGUL.test(text.charAt(match.index - 1));
    if (!subjectComma) starts.push(match.index + match[0].length);
  }
  return starts;
}

/**
 * The first hit of a segment that relates the sides: a pair term with a topic, or a hit of each
 * side that `related` accepts (joined, not listed), with a topic in the same segment
 * unless `needTopic` is false.
 */
export function relatingSegment<H extends SegmentHit>(
  hits: readonly H[],
  texts: Record<SegmentHit["field"], string>,
  roleOf: (hit: H) => SegmentRole | undefined,
  related: (first: H, second: H) => boolean,
  /** A brief's segment must also name a topic ("Moscow and Pyongyang shiver" in a weather roundup). */
  needTopic = true,
): H | undefined {
  const ends = (field: SegmentHit["field"]) =>
    new Set(hits.filter((hit) => hit.field === field).map((hit) => hit.end));
  const starts = {
    title: segmentStarts(texts.title, ends("title")),
    summary: segmentStarts(texts.summary, ends("summary")),
  };
  const segmentOf = (hit: H) => {
    const list = starts[hit.field];
    let index = 0;
    while (index + 1 < list.length && (list[index + 1] as number) <= hit.start) index++;
    return `${hit.field}:${index}`;
  };
  const bySegment = new Map<string, H[]>();
  for (const hit of hits) {
    const key = segmentOf(hit);
    bySegment.set(key, [...(bySegment.get(key) ?? []), hit]);
  }
  for (const segment of bySegment.values()) {
    const roles = segment.map(roleOf);
    const pair = segment.find((_, i) => roles[i] === "pair");
    const topic = roles.some((role) => role === "topic" || role === "pair");
    if (pair && roles.filter((role) => role === "topic" || role === "pair").length >= 2) return pair;
    if (needTopic && !topic) continue;
    for (const [i, first] of segment.entries()) {
      if (roles[i] !== "a") continue;
      const second = segment.find((hit, j) => roles[j] === "b" && related(first, hit));
      if (second) return first;
    }
  }
  return undefined;
}

/**
 * A full stop inside a headline, before another sentence ("… to new low. Kim Jong Un inspects …");
 * not a question a headline answers ("How many troops? Estimates range …") or an initial ("N.").
 */
export const TITLE_SENTENCE_BREAK = /(?<!(?:^|[^\p{L}])\p{Lu})\.\s+\p{Lu}/u;
/** The headline has sentences and names each side only in a different one of them. */
export function splitsSides(compiled: Compiled, title: FieldScan): boolean {
  if (!TITLE_SENTENCE_BREAK.test(title.text)) return false;
  const sides = sidesOf(compiled, title.hits);
  if (!sides.a || !sides.b) return false;
  const breaks = [...title.text.matchAll(new RegExp(TITLE_SENTENCE_BREAK, "gu"))].map((m) => m.index + 1);
  if (breaks.length === 0) return false;
  const sentenceOf = (hit: Hit) => breaks.filter((position) => position <= hit.start).length;
  return ![...new Set(title.hits.map(sentenceOf))].some((sentence) => {
    return bothNamed(
      sidesOf(
        compiled,
        title.hits.filter((hit) => sentenceOf(hit) === sentence),
      ),
    );
  });
}

/** A conjunction inside a longer gap: two noun phrases listed, not one side acting on the other. */
export const LISTING_GAP = listingGapPattern();
/** "each in its own chapter", "отдельно", "각각": the items are described apart. */
export const SEPARATELY = separatelyPattern();

/**
 * A roundup that the rules found relevant stays so only when one of its segments relates the two
 * sides itself; otherwise the two were separate stories of one brief.
 */
export function roundupVerdict(
  compiled: Compiled,
  hits: readonly Hit[],
  title: FieldScan,
  summary: FieldScan,
  cued: boolean,
): Verdict | undefined {
  const roleOf = (hit: Hit): SegmentRole | undefined => {
    if (compiled.entities[hit.entity]?.pair) return "pair";
    if (compiled.sideOf[hit.entity] === TOPIC) return "topic";
    const side = strongSideOf(compiled, hit);
    return side === undefined ? undefined : side === 0 ? "a" : "b";
  };
  const fieldOf = (field: Field) => (field === "title" ? title : summary);
  const related = (one: Hit, other: Hit) => {
    if (one.field !== other.field) return false;
    const text = fieldOf(one.field).text;
    const linkage = linkageOf(text, one, other, compiled.thirdParty);
    if (linkage !== "direct" && linkage !== "coordinated") return false;
    // A threat list joins two separate items with "and" ("North Korea's missiles and Russia's
    // war", "각각", "отдельно"): only the two sides joined directly, or one acting on the other, relate.
    const [a, b] = one.start <= other.start ? [one, other] : [other, one];
    const gap = text.slice(a.end, b.start);
    return (COORDINATED.test(gap) || !LISTING_GAP.test(gap)) && !SEPARATELY.test(text);
  };
  const texts = { title: title.text, summary: summary.text };
  if (relatingSegment(hits, texts, roleOf, related, cued)) return undefined;
  return { relevant: false, rule: "roundup-not-related", score: SCORE.listed, sentence: undefined };
}
