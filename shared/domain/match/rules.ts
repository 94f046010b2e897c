// The relevance rules: an ordered table, each rule named with a one-line reason (see
// RELEVANCE_RULES); the first that applies decides.
import { type Compiled, type Field, type FieldScan, type Hit, SIDES } from "./compiled.ts";
import { evidenceOf, missingSideRule, namesSide, topicBridgesSides } from "./evidence.ts";
import { sidesLinkage, standInLinkage } from "./linkage.ts";
import { SCORE } from "./scores.ts";

export interface Verdict {
  relevant: boolean;
  rule: string;
  score: number;
  /** The sentence that carries the evidence. */
  sentence: number | undefined;
}

export function judge(
  compiled: Compiled,
  hits: readonly Hit[],
  listCue: boolean,
  fieldOf: (field: Field) => FieldScan,
): Verdict {
  const itemEntities = new Set(hits.map((hit) => hit.entity));
  const item = evidenceOf(compiled, hits, itemEntities);
  const bothStrong = item.strong[0] && item.strong[1];
  const bySentence = new Map<number, Hit[]>();
  for (const hit of hits) bySentence.set(hit.sentence, [...(bySentence.get(hit.sentence) ?? []), hit]);
  const sentences = [...bySentence.entries()].map(([index, sentenceHits]) => ({
    index,
    evidence: evidenceOf(compiled, sentenceHits, itemEntities),
    linkage: sidesLinkage(compiled, sentenceHits, fieldOf),
    standInLinkage: bothStrong ? undefined : standInLinkage(compiled, sentenceHits, fieldOf),
    count: sentenceHits.length,
  }));
  const densest = sentences.reduce<(typeof sentences)[number] | undefined>(
    (best, s) => (!best || s.count > best.count ? s : best),
    undefined,
  )?.index;
  const first = (test: (s: (typeof sentences)[number]) => boolean) => sentences.find(test)?.index;

  if (item.pair) {
    return {
      relevant: true,
      rule: "pair-term",
      score: SCORE.pairTerm,
      sentence: first((s) => s.evidence.pair),
    };
  }
  // A stand-in (the war for Russia) names its side only beside a weapons or troops topic.
  const present = SIDES.map((side) => item.strong[side] || (item.weak[side] && item.highTopic));
  if (!present[0] && !present[1])
    return { relevant: false, rule: "no-sides", score: SCORE.none, sentence: densest };
  const missing = SIDES.find((side) => !present[side]);
  if (missing !== undefined)
    return {
      relevant: false,
      rule: missingSideRule(compiled, missing),
      score: SCORE.oneSide,
      sentence: densest,
    };

  // A headline naming neither side ("Inside the shell pipeline") gives its topic to the summary.
  const headline = sentences.find((s) => s.index === 0)?.evidence;
  const headlineTopic =
    headline !== undefined &&
    headline.topic > 0 &&
    !namesSide(headline, 0) &&
    !namesSide(headline, 1) &&
    !headline.pair;
  if (bothStrong) {
    const related = first(
      (s) =>
        (s.evidence.topic > 0 || (s.index > 0 && headlineTopic)) &&
        (s.linkage === "direct" ||
          s.linkage === "coordinated" ||
          (s.linkage === "enumerated" && s.evidence.highTopic) ||
          // Someone else's act on both counts only when it concerns their dealings (arms, the pact).
          (s.linkage === "parallel" && (s.evidence.highTopic || s.evidence.topic >= 1))),
    );
    if (related !== undefined) {
      return {
        relevant: true,
        rule: "both-sides-in-sentence",
        score: SCORE.relatedInSentence + SCORE.relatedInSentencePerTopic * item.topic,
        sentence: related,
      };
    }
    const together = sentences.filter((s) => s.linkage !== undefined);
    const onlyListed = together.length > 0 && together.every((s) => s.linkage === "enumerated");
    if ((listCue || onlyListed) && !item.highTopic && item.topic < 0.9) {
      return {
        relevant: false,
        rule: "listed-not-related",
        score: SCORE.listed,
        sentence: together[0]?.index ?? densest,
      };
    }
    // A headline pairing the two ("How Moscow and Pyongyang are reshaping security") whose summary
    // goes on about their dealings without naming either again ("the defence pact's clause").
    const headlinePair = sentences.find(
      (s) => s.index === 0 && (s.linkage === "direct" || s.linkage === "coordinated"),
    );
    const summaryTopicAlone = sentences.some(
      (s) => s.index > 0 && s.evidence.topic > 0 && !namesSide(s.evidence, 0) && !namesSide(s.evidence, 1),
    );
    if (headlinePair !== undefined && summaryTopicAlone && !listCue) {
      return {
        relevant: true,
        rule: "headline-pair-summary-topic",
        score: SCORE.headlinePairSummaryTopic,
        sentence: 0,
      };
    }
    // One side acting on or at the other, no cue word needed: "Russian church consecrated in Pyongyang".
    const direct = first((s) => s.linkage === "direct");
    if (direct !== undefined && !listCue) {
      return { relevant: true, rule: "both-sides-together", score: SCORE.sidesTogether, sentence: direct };
    }
    // A topic counts when it sits beside one of the parties ("...the gains for Pyongyang"), not
    // in a sentence about someone else ("Trump ... praised both leaders").
    const anchored = first((s) => (s.evidence.strong[0] || s.evidence.strong[1]) && s.evidence.topic > 0);
    // Named in one sentence but as separate clauses or list entries: that sentence relates nothing.
    const onlyApart =
      together.length > 0 &&
      together.every((s) => s.linkage === "apart" || s.linkage === "enumerated" || s.linkage === "parallel");
    if (!onlyApart && (anchored !== undefined || item.highTopic)) {
      if (together.length === 0 && !topicBridgesSides(compiled, hits)) {
        return { relevant: false, rule: "separate-stories", score: SCORE.listed, sentence: densest };
      }
      return {
        relevant: true,
        rule: "both-sides-and-topic",
        score: SCORE.sidesAndTopic + SCORE.sidesAndTopicPerTopic * item.topic,
        sentence: together[0]?.index ?? anchored ?? densest,
      };
    }
    return {
      relevant: false,
      rule: "no-relation",
      score: SCORE.noRelation,
      sentence: together[0]?.index ?? densest,
    };
  }
  // A stand-in (the war for Russia) names its side only where it is tied to the other side, not
  // where the two are separate items of one list ("support for Ukraine, ... condemned North
  // Korea's tests").
  const standIns = sentences.flatMap((s) => (s.standInLinkage ? [s.standInLinkage] : []));
  if (standIns.length > 0 && standIns.every((linkage) => linkage === "apart" || linkage === "enumerated")) {
    return { relevant: false, rule: "no-relation", score: SCORE.noRelation, sentence: densest };
  }
  return {
    relevant: true,
    rule: "stand-in-with-high-topic",
    score: SCORE.standInWithHighTopic,
    sentence: first((s) => (s.evidence.strong[0] || s.evidence.strong[1]) && s.evidence.highTopic) ?? densest,
  };
}
