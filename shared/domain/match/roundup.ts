// Roundups and briefs ("Weather roundup: heatwave grips Moscow, floods swamp Pyongyang", "[주간
// 국제] …", "Дайджест: …") string separate stories together: both sides named in one item says
// nothing. Such an item is relevant only when one of its segments itself relates the two sides.
// Pure.
import { HANGUL } from "../language/scripts.ts";

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
