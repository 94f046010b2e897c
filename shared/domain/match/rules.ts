// The relevance rules: an ordered table (RELEVANCE_RULES), each rule named with a one-line reason;
// the first that applies decides. The rules read a JudgeContext computed once per item: what the
// item names overall and what each of its sentences names, and how the two sides stand in it.
import { type Compiled, type Field, type FieldScan, type Hit, SIDES, type Side } from "./compiled.ts";
import { type Evidence, evidenceOf, missingSideRule, namesSide, topicBridgesSides } from "./evidence.ts";
import { type Linkage, sidesLinkage, standInLinkage } from "./linkage.ts";
import { SCORE } from "./scores.ts";

/** Topic weight from which a topic says "their dealings" even in a list ("the treaty", weight ≥ 0.9). */
const STRONG_TOPIC = 0.9;

export interface Verdict {
  relevant: boolean;
  rule: string;
  score: number;
  /** The sentence that carries the evidence. */
  sentence: number | undefined;
}

/** What one sentence (0 = the headline) names and how its two sides stand to each other. */
export interface SentenceView {
  index: number;
  evidence: Evidence;
  /** The closest linkage between the two sides' full names in it, if it names both. */
  linkage: Linkage | undefined;
  /** The linkage between a stand-in (the war) and the other side, when a side is named only so. */
  standInLinkage: Linkage | undefined;
  count: number;
}

/** Everything the rules read, computed once per item. */
export interface JudgeContext {
  compiled: Compiled;
  hits: readonly Hit[];
  item: Evidence;
  /** A list or ranking cue word is in the item ("ranked", "such as", 순위). */
  listCue: boolean;
  /** Each side named, counting a stand-in only beside a weapons or troops topic. */
  present: readonly [boolean, boolean];
  /** Both sides named by their full names (not only through a stand-in). */
  bothStrong: boolean;
  sentences: readonly SentenceView[];
  /** Sentences that name both sides. */
  together: readonly SentenceView[];
  /** The sentence with most hits: where a rejection points. */
  densest: number | undefined;
  /** The headline names a topic and neither side ("Inside the shell pipeline"): it lends its topic. */
  headlineTopic: boolean;
  first(test: (s: SentenceView) => boolean): number | undefined;
}

/** A rule's finding: which sentence holds the evidence, and a score or name when they vary. */
interface Finding {
  sentence: number | undefined;
  score?: number;
  name?: string;
}

export interface RelevanceRule {
  name: string;
  reason: string;
  relevant: boolean;
  score: number;
  /** The finding when the rule applies, undefined when it does not. */
  applies(c: JudgeContext): Finding | undefined;
}

const found = (sentence: number | undefined, extra: Omit<Finding, "sentence"> = {}): Finding => ({
  sentence,
  ...extra,
});

/** Sentences relate the sides by linkage: joined, or one acting on the other. */
const joined = (linkage: Linkage | undefined) => linkage === "direct" || linkage === "coordinated";

/** A sentence naming both sides relates them with a topic of their dealings beside them. */
function relatesInSentence(s: SentenceView, headlineTopic: boolean): boolean {
  const topical = s.evidence.topic > 0 || (s.index > 0 && headlineTopic);
  if (!topical) return false;
  if (joined(s.linkage)) return true;
  if (s.linkage === "enumerated") return s.evidence.highTopic;
  // Someone else's act on both counts only when it concerns their dealings (arms, the pact).
  return s.linkage === "parallel" && (s.evidence.highTopic || s.evidence.topic >= 1);
}

/** Named in one sentence only as separate clauses or list entries: that sentence relates nothing. */
function onlyApart(c: JudgeContext): boolean {
  return (
    c.together.length > 0 &&
    c.together.every((s) => s.linkage === "apart" || s.linkage === "enumerated" || s.linkage === "parallel")
  );
}

/** A topic beside one of the parties ("...the gains for Pyongyang"), not in someone else's sentence. */
function anchoredTopic(c: JudgeContext): number | undefined {
  return c.first((s) => (s.evidence.strong[0] || s.evidence.strong[1]) && s.evidence.topic > 0);
}

/**
 * The rules in the order they are tried. The first group needs nothing but the sides; the
 * second reads how they stand in each sentence (both named in full); the last covers a side named
 * only through a stand-in.
 */
export const RELEVANCE_RULES: readonly RelevanceRule[] = [
  {
    name: "pair-term",
    reason: "a term names the pair itself (Russia–DPRK, 북러, российско-северокорейский)",
    relevant: true,
    score: SCORE.pairTerm,
    applies: (c) => (c.item.pair ? found(c.first((s) => s.evidence.pair)) : undefined),
  },
  {
    name: "no-sides",
    reason: "neither side is named (a stand-in alone names no side without a weapons topic)",
    relevant: false,
    score: SCORE.none,
    applies: (c) => (!c.present[0] && !c.present[1] ? found(c.densest) : undefined),
  },
  {
    name: "no-<side>-side",
    reason: "only one side is named: news of one party is not news of their dealings",
    relevant: false,
    score: SCORE.oneSide,
    applies: (c) => {
      const missing = SIDES.find((side) => !c.present[side]);
      return missing === undefined
        ? undefined
        : found(c.densest, { name: missingSideRule(c.compiled, missing) });
    },
  },
  {
    name: "both-sides-in-sentence",
    reason: "one sentence joins the two sides, or has one act on the other, beside a topic of their dealings",
    relevant: true,
    score: SCORE.relatedInSentence,
    applies: (c) => {
      if (!c.bothStrong) return undefined;
      const related = c.first((s) => relatesInSentence(s, c.headlineTopic));
      return related === undefined
        ? undefined
        : found(related, { score: SCORE.relatedInSentence + SCORE.relatedInSentencePerTopic * c.item.topic });
    },
  },
  {
    name: "listed-not-related",
    reason: "the two are only listed or ranked together (a list cue, or every shared sentence a list)",
    relevant: false,
    score: SCORE.listed,
    applies: (c) => {
      if (!c.bothStrong) return undefined;
      const onlyListed = c.together.length > 0 && c.together.every((s) => s.linkage === "enumerated");
      const weakTopic = !c.item.highTopic && c.item.topic < STRONG_TOPIC;
      return (c.listCue || onlyListed) && weakTopic ? found(c.together[0]?.index ?? c.densest) : undefined;
    },
  },
  {
    name: "headline-pair-summary-topic",
    reason: "the headline pairs the two and the summary goes on about their dealings without naming them",
    relevant: true,
    score: SCORE.headlinePairSummaryTopic,
    applies: (c) => {
      if (!c.bothStrong || c.listCue) return undefined;
      const headlinePair = c.sentences.some((s) => s.index === 0 && joined(s.linkage));
      const summaryTopicAlone = c.sentences.some(
        (s) => s.index > 0 && s.evidence.topic > 0 && !namesSide(s.evidence, 0) && !namesSide(s.evidence, 1),
      );
      return headlinePair && summaryTopicAlone ? found(0) : undefined;
    },
  },
  {
    name: "both-sides-together",
    reason:
      "one side acts on or at the other, no topic word needed (a Russian church consecrated in Pyongyang)",
    relevant: true,
    score: SCORE.sidesTogether,
    applies: (c) => {
      if (!c.bothStrong || c.listCue) return undefined;
      const direct = c.first((s) => s.linkage === "direct");
      return direct === undefined ? undefined : found(direct);
    },
  },
  {
    name: "separate-stories",
    reason: "each side has summary sentences of its own with unrelated topics: two stories in one item",
    relevant: false,
    score: SCORE.listed,
    applies: (c) => {
      if (!c.bothStrong || onlyApart(c)) return undefined;
      if (anchoredTopic(c) === undefined && !c.item.highTopic) return undefined;
      return c.together.length === 0 && !topicBridgesSides(c.compiled, c.hits) ? found(c.densest) : undefined;
    },
  },
  {
    name: "both-sides-and-topic",
    reason: "both sides in separate sentences, tied by a topic of their dealings next to one of them",
    relevant: true,
    score: SCORE.sidesAndTopic,
    applies: (c) => {
      if (!c.bothStrong || onlyApart(c)) return undefined;
      const anchored = anchoredTopic(c);
      if (anchored === undefined && !c.item.highTopic) return undefined;
      return found(c.together[0]?.index ?? anchored ?? c.densest, {
        score: SCORE.sidesAndTopic + SCORE.sidesAndTopicPerTopic * c.item.topic,
      });
    },
  },
  {
    name: "no-relation",
    reason: "both sides are named, but nothing relates them (separate clauses, no topic of their dealings)",
    relevant: false,
    score: SCORE.noRelation,
    applies: (c) => {
      if (c.bothStrong) return found(c.together[0]?.index ?? c.densest);
      // A stand-in names its side only where it is tied to the other side, not where the two are
      // separate items of one list ("support for Ukraine, ... condemned North Korea's tests").
      const standIns = c.sentences.flatMap((s) => (s.standInLinkage ? [s.standInLinkage] : []));
      const apart = standIns.every((linkage) => linkage === "apart" || linkage === "enumerated");
      return standIns.length > 0 && apart ? found(c.densest) : undefined;
    },
  },
  {
    name: "stand-in-with-high-topic",
    reason:
      "a stand-in for one side (the war for Russia) tied to the other side beside a weapons or troops topic",
    relevant: true,
    score: SCORE.standInWithHighTopic,
    applies: (c) =>
      found(
        c.first((s) => (s.evidence.strong[0] || s.evidence.strong[1]) && s.evidence.highTopic) ?? c.densest,
      ),
  },
];

/** The one-line reason of a rule by the name it gave ("no-dprk-side" reads as "no-<side>-side"). */
export function ruleReason(name: string): string | undefined {
  const rule =
    RELEVANCE_RULES.find((r) => r.name === name) ??
    (/^no-.+-side$/.test(name) ? RELEVANCE_RULES.find((r) => r.name === "no-<side>-side") : undefined);
  return rule?.reason;
}

export function judge(
  compiled: Compiled,
  hits: readonly Hit[],
  listCue: boolean,
  fieldOf: (field: Field) => FieldScan,
): Verdict {
  const context = judgeContext(compiled, hits, listCue, fieldOf);
  for (const rule of RELEVANCE_RULES) {
    const finding = rule.applies(context);
    if (finding === undefined) continue;
    return {
      relevant: rule.relevant,
      rule: finding.name ?? rule.name,
      score: finding.score ?? rule.score,
      sentence: finding.sentence,
    };
  }
  // The last rule always applies; this only satisfies the type checker.
  throw new Error("no relevance rule applied");
}

function judgeContext(
  compiled: Compiled,
  hits: readonly Hit[],
  listCue: boolean,
  fieldOf: (field: Field) => FieldScan,
): JudgeContext {
  const itemEntities = new Set(hits.map((hit) => hit.entity));
  const item = evidenceOf(compiled, hits, itemEntities);
  const bothStrong = item.strong[0] && item.strong[1];
  const bySentence = new Map<number, Hit[]>();
  for (const hit of hits) bySentence.set(hit.sentence, [...(bySentence.get(hit.sentence) ?? []), hit]);
  const sentences: SentenceView[] = [...bySentence.entries()].map(([index, sentenceHits]) => ({
    index,
    evidence: evidenceOf(compiled, sentenceHits, itemEntities),
    linkage: sidesLinkage(compiled, sentenceHits, fieldOf),
    standInLinkage: bothStrong ? undefined : standInLinkage(compiled, sentenceHits, fieldOf),
    count: sentenceHits.length,
  }));
  const densest = sentences.reduce<SentenceView | undefined>(
    (best, s) => (!best || s.count > best.count ? s : best),
    undefined,
  )?.index;
  const headline = sentences.find((s) => s.index === 0)?.evidence;
  const present = SIDES.map((side: Side) => item.strong[side] || (item.weak[side] && item.highTopic)) as [
    boolean,
    boolean,
  ];
  return {
    compiled,
    hits,
    item,
    listCue,
    present,
    bothStrong,
    sentences,
    together: sentences.filter((s) => s.linkage !== undefined),
    densest,
    headlineTopic:
      headline !== undefined &&
      headline.topic > 0 &&
      !namesSide(headline, 0) &&
      !namesSide(headline, 1) &&
      !headline.pair,
    first: (test) => sentences.find(test)?.index,
  };
}
