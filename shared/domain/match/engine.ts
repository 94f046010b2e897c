// The relevance rule (see docs/relevance.md): an item is about the relationship between the
// watch list's two sides (Russia and North Korea in the bundled document) when both are named AND
// something relates them — a compound naming both (북러, российско-северокорейский), or the
// vocabulary of their dealings (treaty, troops, shells, talks, trade, sanctions, ...). Two
// countries merely listed or ranked together are not related; one side alone is never enough,
// whatever the topic. Nothing here knows which two sides: they are the document's, in its order.

import {
  alternation,
  CONJUNCTION_GENITIVE_PARTICLES,
  CONJUNCTION_PARTICLES,
  GENITIVE_PARTICLES,
  OBJECT_PARTICLES,
  SIDE_SUFFIXES,
  SUBJECT_PARTICLES,
  TOPIC_PARTICLES,
} from "../language/korean.ts";
import { HANGUL } from "../language/scripts.ts";
import type { EntityHit, Matcher, MatchResult, NewsItem, Severity } from "../types.ts";
import { TOPIC_SIDE, type WatchEntity, type WatchList } from "../watchlist/index.ts";
import {
  type Automaton,
  buildAutomaton,
  compilePatterns,
  expandAlias,
  type Pattern,
  type PatternSource,
  scan,
} from "./automaton.ts";
import { backgroundSpans, within } from "./background.ts";
import { normalizeText } from "./normalize.ts";
import { relatingSegment, type SegmentRole } from "./roundup.ts";
import { SCORE } from "./scores.ts";
import { splitSentences } from "./sentences.ts";

/** Side entities lighter than this (the war in Ukraine) stand in for their side only beside a weapons or troops topic. */
const STRONG_SIDE_WEIGHT = 0.6;
const SNIPPET_MAX = 280;

interface Compiled {
  automaton: Automaton;
  entities: WatchEntity[];
  /** Per entity: 0 or 1 for the document's two sides, TOPIC for the vocabulary between them. */
  sideOf: Int8Array;
  /** The two sides' ids, in the document's order ("russia", "dprk"). */
  sideIds: readonly [string, string];
  /** Other countries and their leaders; looked for only once both sides are coordinated. */
  thirdParty: RegExp | undefined;
  /** Entities whose mentions count only beside one of their `onlyWith` terms. */
  conditional: ReadonlySet<number>;
  /** Per entity: indices of entities that must co-occur for its severity to hold. */
  severityWith: (number[] | undefined)[];
  /** Scratch space the scan fills (match is synchronous, so one per matcher is enough). */
  found: number[];
}

export function compileWatchList(watchList: WatchList): Compiled {
  const sources: PatternSource[] = [];
  watchList.entities.forEach((entity, index) => {
    for (const alias of entity.aliases) sources.push({ kind: "alias", entity: index, alias });
    for (const term of entity.notWith ?? []) sources.push({ kind: "exclusion", entity: index, alias: term });
    for (const term of entity.onlyWith ?? []) sources.push({ kind: "context", entity: index, alias: term });
  });
  for (const phrase of watchList.falseFriends)
    sources.push({ kind: "false-friend", entity: -1, alias: phrase });
  for (const cue of watchList.listCues) sources.push({ kind: "list-cue", entity: -1, alias: cue });
  for (const cue of watchList.roundupCues ?? [])
    sources.push({ kind: "roundup-cue", entity: -1, alias: cue });
  const indexById = new Map(watchList.entities.map((entity, index) => [entity.id, index]));
  return {
    automaton: buildAutomaton(compilePatterns(sources)),
    entities: watchList.entities,
    sideOf: Int8Array.from(watchList.entities, (entity) =>
      entity.side === TOPIC_SIDE ? TOPIC : entity.side === watchList.sides[0].id ? 0 : 1,
    ),
    sideIds: [watchList.sides[0].id, watchList.sides[1].id],
    thirdParty: thirdPartyPattern(watchList.thirdParties ?? []),
    conditional: new Set(
      watchList.entities.flatMap((entity, index) => ((entity.onlyWith?.length ?? 0) > 0 ? [index] : [])),
    ),
    severityWith: watchList.entities.map((entity) =>
      entity.severityWith
        ?.map((id) => indexById.get(id))
        .filter((index): index is number => index !== undefined),
    ),
    found: [],
  };
}

/** Korean particles that may follow a third party's name (미국은, 中의). */
const KOREAN_NAME_PARTICLE = alternation([
  ...TOPIC_PARTICLES,
  ...SUBJECT_PARTICLES,
  ...GENITIVE_PARTICLES,
  ...CONJUNCTION_PARTICLES,
  "도",
  "에",
  "에서",
  ...SIDE_SUFFIXES,
]);

/**
 * One regex for the third parties, with the alias syntax of the watch list. They are rare in the
 * items that reach the check (both sides named side by side), so they stay off the automaton,
 * where words as common as "us" or 정부 would slow every scan.
 */
function thirdPartyPattern(names: readonly string[]): RegExp | undefined {
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const alternatives = names.flatMap(expandAlias).map((name) => {
    const inflects = name.endsWith("*");
    const stem = escapeRegExp(normalizeText(inflects ? name.slice(0, -1) : name)).replace(
      / /g,
      "[\\s\\p{Pd}]+",
    );
    const hangul = /\p{Script=Hangul}|\p{Script=Han}/u.test(stem);
    const tail = inflects ? "\\p{L}{0,5}" : "";
    return hangul
      ? `${stem}${tail}(?=${KOREAN_NAME_PARTICLE}?(?![\\p{L}\\p{N}]))`
      : `${stem}${tail}(?![\\p{L}\\p{N}])`;
  });
  if (alternatives.length === 0) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})`, "iu");
}

type Field = "title" | "summary";

const NO_EXCLUSIONS: ReadonlySet<number> = new Set();
const NO_HITS: readonly Hit[] = Object.freeze([]);

interface Hit {
  entity: number;
  field: Field;
  start: number;
  end: number;
  sentence: number;
}

interface FieldScan {
  field: Field;
  text: string;
  hits: readonly Hit[];
  listCue: boolean;
  /** The field carries a roundup cue (see roundup.ts). */
  roundupCue: boolean;
  excluded: ReadonlySet<number>;
  /** Conditional entities whose context term this field contains. */
  context: ReadonlySet<number>;
}

function scanField(compiled: Compiled, field: Field, original: string): FieldScan {
  const found = compiled.found;
  found.length = 0;
  let text = original;
  if (!scan(compiled.automaton, text, found)) {
    text = original.normalize("NFKC");
    found.length = 0;
    scan(compiled.automaton, text, found, true);
  }
  if (found.length === 0)
    return {
      field,
      text,
      hits: NO_HITS,
      listCue: false,
      roundupCue: false,
      excluded: NO_EXCLUSIONS,
      context: NO_EXCLUSIONS,
    };
  const sentence = field === "title" ? 0 : 1;
  const patterns = compiled.automaton.patterns;
  let hits: Hit[] = [];
  let falseFriends: { start: number; end: number }[] | undefined;
  let excluded = NO_EXCLUSIONS;
  let context = NO_EXCLUSIONS;
  let listCue = false;
  let roundupCue = false;
  for (let k = 0; k < found.length; k += 3) {
    const pattern = patterns[found[k] as number] as Pattern;
    const start = found[k + 1] as number;
    const end = found[k + 2] as number;
    if (pattern.kind === "alias") {
      hits.push({ entity: pattern.entity, field, start, end, sentence });
    } else if (pattern.kind === "false-friend") {
      falseFriends = falseFriends ?? [];
      falseFriends.push({ start, end });
    } else if (pattern.kind === "exclusion") excluded = new Set([...excluded, pattern.entity]);
    else if (pattern.kind === "context") context = new Set([...context, pattern.entity]);
    else if (pattern.kind === "roundup-cue") roundupCue = true;
    else listCue = true;
  }
  if (falseFriends) {
    const friends = falseFriends;
    hits = hits.filter(
      (hit) => !friends.some((friend) => friend.start <= hit.start && hit.end <= friend.end),
    );
  }
  if (hits.length > 1) hits = longestPerEntity(hits);
  return { field, text, hits, listCue, roundupCue, excluded, context };
}

/**
 * Leftmost-longest per entity ("Kim Jong Un's" once, not also "Kim Jong Un"). The scan reports
 * matches by start, then by length, so one pass does.
 */
function longestPerEntity(hits: Hit[]): Hit[] {
  const kept: Hit[] = [];
  for (const hit of hits) {
    let overlapped = false;
    for (let k = kept.length - 1; k >= 0; k--) {
      const previous = kept[k] as Hit;
      if (previous.end <= hit.start && previous.start < hit.start) continue;
      if (previous.entity !== hit.entity || hit.start >= previous.end) continue;
      if (previous.start === hit.start && hit.end > previous.end) previous.end = hit.end;
      overlapped = true;
      break;
    }
    if (!overlapped) kept.push(hit);
  }
  return kept;
}

/** Numbers the summary's sentences after the title (sentence 0); only needed once both sides are in. */
function assignSentences(summary: Pick<FieldScan, "hits" | "text">): void {
  if (summary.hits.length === 0) return;
  const sentences = splitSentences(summary.text);
  let index = 0;
  for (const hit of summary.hits) {
    while (index < sentences.length - 1 && hit.start >= (sentences[index] as { end: number }).end) index++;
    hit.sentence = 1 + index;
  }
}

/** The side index of a topic entity (sides are 0 and 1). */
const TOPIC = -1;
type Side = 0 | 1;
const SIDES: readonly Side[] = [0, 1];

interface Evidence {
  /** Per side: named by an entity of full weight. */
  strong: [boolean, boolean];
  /** Per side: named only through a stand-in (the war for Russia). */
  weak: [boolean, boolean];
  pair: boolean;
  topic: number;
  highTopic: boolean;
}

/** Any mention of a side, strong or stand-in. */
function namesSide(evidence: Evidence, side: Side): boolean {
  return evidence.strong[side] || evidence.weak[side];
}

function evidenceOf(compiled: Compiled, hits: readonly Hit[], itemEntities: Set<number>): Evidence {
  const evidence: Evidence = {
    strong: [false, false],
    weak: [false, false],
    pair: false,
    topic: 0,
    highTopic: false,
  };
  for (const hit of hits) {
    const entity = compiled.entities[hit.entity] as WatchEntity;
    const side = compiled.sideOf[hit.entity] as number;
    if (entity.pair) evidence.pair = true;
    else if (side !== TOPIC) {
      if (entity.weight >= STRONG_SIDE_WEIGHT) evidence.strong[side as Side] = true;
      else evidence.weak[side as Side] = true;
    } else {
      evidence.topic = Math.max(evidence.topic, entity.weight);
      if (entity.severity === "high" && severityHolds(compiled, hit.entity, itemEntities))
        evidence.highTopic = true;
    }
  }
  return evidence;
}

function severityHolds(compiled: Compiled, entity: number, itemEntities: Set<number>): boolean {
  const needs = compiled.severityWith[entity];
  return !needs || needs.length === 0 || needs.some((other) => itemEntities.has(other));
}

interface Verdict {
  relevant: boolean;
  rule: string;
  score: number;
  /** The sentence that carries the evidence. */
  sentence: number | undefined;
}

/** How the two sides stand to each other in one sentence, from the words between them. */
type Linkage = "direct" | "coordinated" | "distant" | "parallel" | "enumerated" | "apart";

const LINKAGE_RANK: Record<Linkage, number> = {
  direct: 5,
  coordinated: 4,
  distant: 3,
  parallel: 2,
  apart: 1,
  enumerated: 0,
};
/** "Russia and North Korea", "Russia–DPRK", "Russian, North Korean", "러시아와 북한". */
const COORDINATED = new RegExp(
  `^[\\s,;:·/–—-]*(?:and|&|or|vs\\.?|versus|with|и|или|с|및|${alternation([...CONJUNCTION_PARTICLES, ...CONJUNCTION_GENITIVE_PARTICLES])})?[\\s,·/–—-]*$`,
  "iu",
);
/** "Russia, Iran, North Korea and Venezuela": other names between, nothing else. */
const ENUMERATED =
  /^(?:[\s,]*(?:and|&|и|및)?[\s,]*\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*)*)+[\s,]*(?:and|&|и|及|및)?[\s,]*$/u;
const LIST_BEFORE = /\p{Lu}[\p{L}.'’-]*\s*,\s*$/u;
const LIST_AFTER = /^(?:['’]s)?\s*(?:,|and\b|&)\s*(?:the\s+)?\p{Lu}/u;
/** Two clauses or two separate acts: "North Korea fires a missile as Russia hosts ...". */
const CLAUSE_BREAK =
  /\b(?:as|while|after|amid|but|when|whereas|despite|before|although|separately|respectively|independently)\b|[;—]|\s–\s/iu;
/** Farther apart than this, two sides in one sentence are in different clauses, not one act. */
const MAX_DIRECT_GAP = 80;
/** How far around a pair a list shows ("China, Russia, North Korea and Iran"): a few names. */
const LIST_CONTEXT = 40;
/** How far after the second side a reporting verb still attributes the clause ("..., Kremlin says"). */
const REPORTING_REACH = 60;
/** How far before a side "unlike" / "в отличие от" makes it a foil; after it, 과 달리 is short. */
const FOIL_BEFORE_REACH = 30;
const FOIL_AFTER_REACH = 6;
/** Words and commas only, the last comma right before the second side: "missile launch, ". */
const TOPIC_LIST_GAP = /^[\p{L}\s'’-]*(?:,[\p{L}\s'’-]*)*,\s*$/u;
/** The second side as the source of the first clause: "..., Russia's defence ministry says". */
const REPORTING_AFTER =
  /^[^,;.]*?(?:\b(?:says?|said|confirms?|confirmed|reports?|reported|claims?|claimed|denies|denied|admits?|admitted|tells?|told|announces?|announced)\b|(?<!\p{L})(?:заяв\p{L}*|сообщ\p{L}*|подтверд\p{L}*|признал\p{L}*)|(?:밝혔|발표|확인|주장))/iu;
/** "Russia and North Korea both vote against ...": two parallel acts, not one joint one. */
const EACH_AFTER =
  /^(?:['’]s)?\s+(?:both|each|alike|separately|respectively|individually)\b|^\s*(?:оба|обе|по отдельности)(?!\p{L})|^\S*\s*(?:모두|각각)/iu;
/** "Russia and North Korea are the world's most sanctioned nations": a ranking, not a relation. */
const RANKED_AFTER =
  /^(?:['’]s)?\s+(?:are|were|remain|rank|ranked|top|topped|lead|led|head)\s+(?:the\s+|among\s+(?:the\s+)?)?(?:world'?s\s+|globe'?s\s+)?(?:most|least|worst|best|biggest|largest|list|ranking|index|table)\b/iu;
/** "Moscow–Pyongyang partnership", "Russia and North Korea ties": the pair qualifies their relation. */
const RELATION_AFTER =
  /^(?:['’]s)?\s+(?:ties|cooperation|partnership|relations|relationship|alliance|pact|treaty|axis|deal|deals|summit|talks|trade|friendship|rapprochement|military|arms|defen[cs]e)\b/iu;
/** "Seoul says Russia and North Korea ...": the third party reports, the pair acts. */
const SPEAKER_BEFORE =
  /(?:\b(?:says?|said|claims?|claimed|believes?|thinks?|fears?|feared|notes?|noted|insists?|insisted|argues?|argued|that)|(?<!\p{L})(?:заяви\p{L}*|сообщи\p{L}*|считает|что)|[:"“«])[\s"“«]*(?:the\s+)?$/iu;
/** "트럼프, 푸틴·김정은과 회담": a particle after the pair makes it the object of the third party's act. */
const KOREAN_OBJECT_AFTER = new RegExp(
  `^${alternation([...CONJUNCTION_PARTICLES, ...OBJECT_PARTICLES, "에게", "에", ...CONJUNCTION_GENITIVE_PARTICLES])}(?!\\p{L})`,
  "u",
);

/** Where the sentence holding `position` starts: titles are one sentence, summaries are split on stops. */
function firstMatchIn(pattern: RegExp, text: string, from: number, to: number): number | undefined {
  const found = pattern.exec(text.slice(from, to));
  return found ? from + found.index : undefined;
}

function sentenceStartBefore(text: string, position: number): number {
  const stop = /[.!?。]\s(?=[^.!?。]*$)/u.exec(text.slice(0, position));
  return stop ? stop.index + stop[0].length : 0;
}

/**
 * Whether words lead up to the first side in its sentence ("G7 statement condemns North Korea ...,
 * Russia's war"): then commas list the objects of that verb. A sentence opening on the first side
 * may join two subjects ("North Korean leader, Russian minister discuss ...").
 */
function listedAfterVerb(text: string, firstStart: number): boolean {
  const lead = text.slice(sentenceStartBefore(text, firstStart), firstStart);
  return /\p{L}{2,}/u.test(lead.replace(/^\W*(?:the|a|an)\s+/iu, ""));
}

function linkageOf(text: string, first: Hit, second: Hit, thirdParty: RegExp | undefined): Linkage {
  const [a, b] = first.start <= second.start ? [first, second] : [second, first];
  if (b.start < a.end) return "direct";
  const gap = text.slice(a.end, b.start);
  // "Rason–Vladivostok train", "Moscow-Pyongyang": a dash with no space joins the two into one name.
  if (/^[\p{Pd}]$/u.test(gap) && !LIST_BEFORE.test(text.slice(Math.max(0, a.start - LIST_CONTEXT), a.start)))
    return "direct";
  if (COORDINATED.test(gap)) {
    // "China, Russia, North Korea and Iran": a pair inside a longer list is a list.
    const before = text.slice(Math.max(0, a.start - LIST_CONTEXT), a.start);
    const after = text.slice(b.end, b.end + LIST_CONTEXT);
    if (LIST_BEFORE.test(before) || LIST_AFTER.test(after)) return "enumerated";
    if (RANKED_AFTER.test(after)) return "enumerated";
    if (EACH_AFTER.test(after)) return "parallel";
    if (/^[\s–—-]*$/u.test(gap) || RELATION_AFTER.test(after)) return "coordinated";
    // "Trump says he will meet Putin and Kim": both are the objects of someone else's act.
    const sentenceStart = sentenceStartBefore(text, a.start);
    const actor = thirdParty ? firstMatchIn(thirdParty, text, sentenceStart, a.start) : undefined;
    if (actor !== undefined) {
      const korean = HANGUL.test(text.charAt(b.end));
      const between = text.slice(actor, a.start);
      // "China watches warily as Russia and North Korea grow closer": the pair heads its own clause.
      const objects = korean
        ? KOREAN_OBJECT_AFTER.test(after)
        : !SPEAKER_BEFORE.test(between) && !CLAUSE_BREAK.test(between);
      if (objects) return "parallel";
    }
    return "coordinated";
  }
  if (/[,&]|\band\b|\bи\b/u.test(gap) && ENUMERATED.test(gap)) return "enumerated";
  if (CLAUSE_BREAK.test(gap)) return "apart";
  // "condemns North Korea missile launch, Russia's war": the comma opens the next item of a list
  // of topics, unless the second side is the one reporting ("..., Kremlin confirms"). A Korean
  // headline's comma marks its subject instead ("북한 노동자, 러시아 건설현장 투입").
  if (
    TOPIC_LIST_GAP.test(gap) &&
    !HANGUL.test(gap) &&
    listedAfterVerb(text, a.start) &&
    !REPORTING_AFTER.test(text.slice(b.end, b.end + REPORTING_REACH))
  )
    return "apart";
  // Far apart in one clause ("KCNA said the presidium ... approved the pact signed with Moscow"):
  // not evidence of a relation by itself, but not of two separate acts either; with a comma
  // between, it usually is two.
  if (gap.length > MAX_DIRECT_GAP) return gap.includes(",") ? "apart" : "distant";
  return "direct";
}

function judge(
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

/**
 * Each side named only in summary sentences of its own, each with its own topic ("The ruble fell to
 * a new low. Kim Jong Un inspected a missile factory."): one story only when something ties the
 * sentences, a topic both share or a sentence about the dealings that names neither.
 */
function topicBridgesSides(compiled: Compiled, hits: readonly Hit[]): boolean {
  // A summary elaborates its headline: only sentences of one field can be separate stories.
  const fields = new Set(hits.map((hit) => hit.field));
  if (fields.size > 1) return true;
  const bySentence = new Map<string, { sides: [boolean, boolean]; topics: Set<number> }>();
  for (const hit of hits) {
    const key = `${hit.field}:${hit.sentence}`;
    const sentence = bySentence.get(key) ?? { sides: [false, false], topics: new Set<number>() };
    const side = compiled.sideOf[hit.entity] as number;
    if (side === TOPIC) sentence.topics.add(hit.entity);
    else sentence.sides[side as Side] = true;
    bySentence.set(key, sentence);
  }
  const sentences = [...bySentence.values()];
  if (sentences.some((s) => !s.sides[0] && !s.sides[1] && s.topics.size > 0)) return true;
  const [firstTopics, secondTopics] = SIDES.map(
    (side) => new Set(sentences.filter((s) => s.sides[side]).flatMap((s) => [...s.topics])),
  ) as [Set<number>, Set<number>];
  // A side's sentence with no topic of its own is about the other's ("Putin gives Kim a car").
  if (firstTopics.size === 0 || secondTopics.size === 0) return true;
  return [...secondTopics].some((topic) => firstTopics.has(topic));
}

/** The side a hit names at full weight (not through a stand-in), if any. */
function strongSideOf(compiled: Compiled, hit: Hit): Side | undefined {
  const side = compiled.sideOf[hit.entity] as number;
  if (side === TOPIC || (compiled.entities[hit.entity] as WatchEntity).weight < STRONG_SIDE_WEIGHT)
    return undefined;
  return side as Side;
}

/** The closest linkage between a hit of each side in one sentence, if both are there. */
function sidesLinkage(
  compiled: Compiled,
  hits: readonly Hit[],
  fieldOf: (field: Field) => FieldScan,
): Linkage | undefined {
  let best: Linkage | undefined;
  for (const one of hits) {
    if (strongSideOf(compiled, one) !== 0) continue;
    for (const other of hits) {
      if (strongSideOf(compiled, other) !== 1 || other.field !== one.field) continue;
      const scanned = fieldOf(one.field);
      const bothTargets =
        compiled.entities[one.entity]?.target === true && compiled.entities[other.entity]?.target === true;
      const linkage = bothTargets ? "parallel" : linkageOf(scanned.text, one, other, compiled.thirdParty);
      if (!best || LINKAGE_RANK[linkage] > LINKAGE_RANK[best]) best = linkage;
    }
  }
  return best;
}

/**
 * How a stand-in (the war, for Russia) stands to the other side in one sentence: a comma between
 * them, outside "Ukraine, North Korea", leaves them apart.
 */
function standInLinkage(
  compiled: Compiled,
  hits: readonly Hit[],
  fieldOf: (field: Field) => FieldScan,
): Linkage | undefined {
  let best: Linkage | undefined;
  for (const standIn of hits) {
    const side = compiled.sideOf[standIn.entity] as number;
    if (side === TOPIC || (compiled.entities[standIn.entity] as WatchEntity).weight >= STRONG_SIDE_WEIGHT)
      continue;
    for (const other of hits) {
      const otherSide = compiled.sideOf[other.entity] as number;
      if (otherSide === TOPIC || otherSide === side || other.field !== standIn.field) continue;
      const text = fieldOf(standIn.field).text;
      const [a, b] = standIn.start <= other.start ? [standIn, other] : [other, standIn];
      const gap = b.start < a.end ? "" : text.slice(a.end, b.start);
      const linkage =
        gap.includes(",") && !COORDINATED.test(gap) && !HANGUL.test(gap) && listedAfterVerb(text, a.start)
          ? "apart"
          : linkageOf(text, standIn, other, compiled.thirdParty);
      if (!best || LINKAGE_RANK[linkage] > LINKAGE_RANK[best]) best = linkage;
    }
  }
  return best;
}

function severityOf(compiled: Compiled, hits: readonly Hit[]): Severity {
  const itemEntities = new Set(hits.map((hit) => hit.entity));
  return hits.some(
    (hit) =>
      compiled.entities[hit.entity]?.severity === "high" && severityHolds(compiled, hit.entity, itemEntities),
  )
    ? "high"
    : "normal";
}

function snippetOf(fields: FieldScan[], hits: readonly Hit[], sentence: number | undefined): string {
  const chosen = hits.filter((hit) => hit.sentence === sentence);
  const anchor = chosen[0] ?? hits[0];
  const field = fields.find((f) => f.field === (anchor?.field ?? "title")) as FieldScan;
  if (!anchor) return field.text.slice(0, SNIPPET_MAX);
  const marks = (chosen.length ? chosen : [anchor]).filter((hit) => hit.field === field.field);
  const bounds =
    field.field === "title"
      ? { start: 0, end: field.text.length }
      : (splitSentences(field.text).find((s) => anchor.start < s.end) ?? {
          start: 0,
          end: field.text.length,
        });
  let { start, end } = bounds;
  if (end - start > SNIPPET_MAX) {
    const first = Math.min(...marks.map((m) => m.start));
    start = Math.max(start, first - 80);
    end = Math.min(end, start + SNIPPET_MAX);
  }
  // Merge overlapping hits (the same words can name an entity and a topic) into one mark.
  const spans: { start: number; end: number }[] = [];
  for (const hit of [...marks].sort((a, b) => a.start - b.start)) {
    if (hit.start < start || hit.end > end) continue;
    const last = spans[spans.length - 1];
    if (last && hit.start < last.end) last.end = Math.max(last.end, hit.end);
    else spans.push({ start: hit.start, end: hit.end });
  }
  let out = "";
  let cursor = start;
  for (const span of spans) {
    out += `${field.text.slice(cursor, span.start)}«${field.text.slice(span.start, span.end)}»`;
    cursor = span.end;
  }
  out += field.text.slice(cursor, end);
  return `${start > bounds.start ? "…" : ""}${out.trim()}${end < bounds.end ? "…" : ""}`;
}

interface SidesNamed {
  /** Each side named, by full name or stand-in. */
  a: boolean;
  b: boolean;
  /** A term naming both at once. */
  pair: boolean;
}

function sidesOf(compiled: Compiled, hits: readonly Hit[]): SidesNamed {
  const sides = { a: false, b: false, pair: false };
  for (const hit of hits) {
    const side = compiled.sideOf[hit.entity] as number;
    if (compiled.entities[hit.entity]?.pair) sides.pair = true;
    else if (side === 0) sides.a = true;
    else if (side === 1) sides.b = true;
  }
  return sides;
}

/** Both sides named, or the pair itself. */
function bothNamed(sides: SidesNamed): boolean {
  return sides.pair || (sides.a && sides.b);
}

/** "no-russia-side": the rule that rejects an item naming one side, by the id of the missing one. */
function missingSideRule(compiled: Compiled, missing: Side): string {
  return `no-${compiled.sideIds[missing]}-side`;
}

/** For items that did not match: the words around the first hit, without sentence analysis. */
function glimpseOf(field: FieldScan): string {
  const first = field.hits[0];
  if (!first) return field.text.slice(0, SNIPPET_MAX);
  const start = Math.max(0, first.start - 100);
  const end = Math.min(field.text.length, first.end + 100);
  const marked = `${field.text.slice(start, first.start)}«${field.text.slice(first.start, first.end)}»${field.text.slice(first.end, end)}`;
  return `${start > 0 ? "…" : ""}${marked.trim()}${end < field.text.length ? "…" : ""}`;
}

/** A title naming both sides sets the subject; only a title that does not may be undone by a backdrop. */
function titleRelatesSides(compiled: Compiled, title: FieldScan): boolean {
  return bothNamed(sidesOf(compiled, title.hits));
}

/**
 * News that is Russia–DPRK business by itself: North Korean soldiers or shells sent "since the
 * summit" went to Russia, and "North Korea ratifies treaty, days after Putin signed it" is the
 * pact's own step. Beside such news a backdrop is part of the story, not a date stamp.
 */
function carriesRelation(topics: ReadonlySet<string> | undefined, inTitle: boolean): boolean {
  if (!topics) return false;
  const treatyStep = topics.has("treaty") && topics.has("treaty-steps");
  // A headline's troops or artillery are often one side's own drill; only its treaty step carries.
  return treatyStep || (!inTitle && (topics.has("troops") || topics.has("munitions")));
}

/**
 * Drops the summary hits that only date the item against the story ("weeks after Putin's visit to
 * Pyongyang"). Expects the hits' sentences assigned.
 */
function withoutBackground(compiled: Compiled, hits: readonly Hit[], summaryText: string): readonly Hit[] {
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
    carriesRelation(topicsBySentence.get(0), true) || carriesRelation(topicsBySentence.get(sentence), false);
  return hits.filter((hit) => !inBackdrop(hit) || carried(hit.sentence));
}

/** "unlike North Korea", "в отличие от КНДР", "북한과 달리": the side is named as a foil, not a party. */
const FOIL_BEFORE =
  /(?:\b(?:unlike|in contrast (?:to|with)|contrary to)|(?<!\p{L})в отличие от)\s+(?:the\s+)?$/iu;
const FOIL_AFTER = /^(?:['’]s)?(?:와|과)?\s*달리(?!\p{L})/u;
/**
 * "Russia, meanwhile, held drills": a summary sentence marked as a separate strand names one side
 * for another story. It counts only when it names both sides itself.
 */
const ASIDE = /\bmeanwhile\b|\bin other news\b|(?<!\p{L})тем временем(?!\p{L})|(?<!\p{L})한편(?!\p{L})/iu;

function withoutForeignMentions(
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

/**
 * A full stop inside a headline, before another sentence ("… to new low. Kim Jong Un inspects …");
 * not a question a headline answers ("How many troops? Estimates range …") or an initial ("N.").
 */
const TITLE_SENTENCE_BREAK = /(?<!(?:^|[^\p{L}])\p{Lu})\.\s+\p{Lu}/u;
/** The headline has sentences and names each side only in a different one of them. */
function splitsSides(compiled: Compiled, title: FieldScan): boolean {
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
const LISTING_GAP = new RegExp(
  `\\b(?:and|as well as)\\b|(?<!\\p{L})и(?!\\p{L})|\\p{L}${alternation(CONJUNCTION_PARTICLES)}\\s`,
  "iu",
);
/** "each in its own chapter", "отдельно", "각각": the items are described apart. */
const SEPARATELY =
  /\b(?:each in its own|separately|respectively)\b|(?<!\p{L})(?:отдельно|по отдельности)(?!\p{L})|각각|별도/iu;

/**
 * A roundup that the rules found relevant stays so only when one of its segments relates the two
 * sides itself; otherwise the two were separate stories of one brief.
 */
function roundupVerdict(
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

function nothingFound(title: string): MatchResult {
  return {
    relevant: false,
    score: SCORE.none,
    severity: "normal",
    entities: [],
    hits: [],
    rule: "no-sides",
    snippet: title.length > SNIPPET_MAX ? `${title.slice(0, SNIPPET_MAX).trimEnd()}…` : title,
  };
}

export function createEngine(compiled: Compiled): Matcher {
  return {
    match(item: Pick<NewsItem, "title" | "summary" | "language">): MatchResult {
      const title = scanField(compiled, "title", item.title ?? "");
      const summary = scanField(compiled, "summary", item.summary ?? "");
      let hits = title.hits.length === 0 ? summary.hits : title.hits.concat(summary.hits);
      if (title.excluded.size > 0 || summary.excluded.size > 0) {
        const excluded = new Set([...title.excluded, ...summary.excluded]);
        hits = hits.filter((hit) => !excluded.has(hit.entity));
      }
      if (compiled.conditional.size > 0 && hits.some((hit) => compiled.conditional.has(hit.entity))) {
        const context = new Set([...title.context, ...summary.context]);
        hits = hits.filter((hit) => !compiled.conditional.has(hit.entity) || context.has(hit.entity));
      }
      // Most items name one side or none (oil prices, a Kremlin briefing): they need no sentences,
      // and one that names neither side has nothing of the story to show, whatever topic words it has.
      let sides = sidesOf(compiled, hits);
      if (!sides.pair && !sides.a && !sides.b) return nothingFound(title.text);
      let verdict: Verdict;
      const judgeHits = (evidence: readonly Hit[]) =>
        judge(compiled, evidence, title.listCue || summary.listCue, (field) =>
          field === "title" ? title : summary,
        );
      if (bothNamed(sides)) {
        assignSentences(summary);
        hits = withoutForeignMentions(compiled, hits, title.text, summary.text);
        sides = sidesOf(compiled, hits);
        verdict = bothNamed(sides)
          ? judgeHits(hits)
          : { relevant: false, rule: "aside-only", score: SCORE.asideOnly, sentence: undefined };
        // Only a match can rest on a backdrop, so only a match pays for looking for one.
        if (verdict.relevant && !titleRelatesSides(compiled, title)) {
          const foreground = withoutBackground(compiled, hits, summary.text);
          if (foreground.length < hits.length) {
            hits = foreground;
            sides = sidesOf(compiled, hits);
            verdict = bothNamed(sides)
              ? judgeHits(hits)
              : { relevant: false, rule: "background-only", score: SCORE.asideOnly, sentence: undefined };
          }
        }
      } else {
        verdict = {
          relevant: false,
          rule: sides.b ? missingSideRule(compiled, 0) : sides.a ? missingSideRule(compiled, 1) : "no-sides",
          score: sides.a || sides.b ? SCORE.oneSide : SCORE.none,
          sentence: undefined,
        };
      }
      // A headline of two sentences naming one side each strings two stories together.
      if (
        verdict.relevant &&
        !verdict.rule.startsWith("pair") &&
        (title.roundupCue || summary.roundupCue || splitsSides(compiled, title))
      ) {
        const cued = title.roundupCue || summary.roundupCue;
        verdict = roundupVerdict(compiled, hits, title, summary, cued) ?? verdict;
      }
      const entityHits: EntityHit[] = hits.map((hit) => {
        const entity = compiled.entities[hit.entity] as WatchEntity;
        const source = hit.field === "title" ? title.text : summary.text;
        return {
          entity: entity.id,
          label: entity.label,
          side: entity.side,
          text: source.slice(hit.start, hit.end),
          field: hit.field,
          start: hit.start,
          end: hit.end,
        };
      });
      return {
        relevant: verdict.relevant,
        score: Math.min(1, Math.round(verdict.score * 1000) / 1000),
        severity: verdict.relevant ? severityOf(compiled, hits) : "normal",
        entities: [...new Set(entityHits.map((hit) => hit.entity))],
        hits: entityHits,
        rule: verdict.rule,
        snippet: verdict.relevant
          ? snippetOf([title, summary], hits, verdict.sentence)
          : glimpseOf(title.hits.length > 0 ? title : summary),
      };
    },
  };
}
