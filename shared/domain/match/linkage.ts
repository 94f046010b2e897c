// How the two sides stand to each other in one sentence, read from the words between them:
// joined ("Russia and North Korea"), one acting on the other, listed, parallel, or in separate
// clauses.
import {
  clauseBreakPattern,
  coordinatedGapPattern,
  eachAfterPattern,
  rankedAfterPattern,
  relationAfterPattern,
  reportingAfterPattern,
  speakerBeforePattern,
} from "../language/index.ts";
import {
  alternation,
  CONJUNCTION_GENITIVE_PARTICLES,
  CONJUNCTION_PARTICLES,
  OBJECT_PARTICLES,
} from "../language/korean.ts";
import { HANGUL } from "../language/scripts.ts";
import type { WatchEntity } from "../watchlist/index.ts";
import {
  type Compiled,
  type Field,
  type FieldScan,
  type Hit,
  STRONG_SIDE_WEIGHT,
  TOPIC,
} from "./compiled.ts";
import { strongSideOf } from "./evidence.ts";

/** How the two sides stand to each other in one sentence, from the words between them. */
export type Linkage = "direct" | "coordinated" | "distant" | "parallel" | "enumerated" | "apart";

export const LINKAGE_RANK: Record<Linkage, number> = {
  direct: 5,
  coordinated: 4,
  distant: 3,
  parallel: 2,
  apart: 1,
  enumerated: 0,
};
/** "Russia and North Korea", "Russia–DPRK", "Russian, North Korean", "러시아와 북한". */
export const COORDINATED = coordinatedGapPattern();
/** "Russia, Iran, North Korea and Venezuela": other names between, nothing else. */
export const ENUMERATED =
  /^(?:[\s,]*(?:and|&|и|및)?[\s,]*\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*)*)+[\s,]*(?:and|&|и|及|및)?[\s,]*$/u;
export const LIST_BEFORE = /\p{Lu}[\p{L}.'’-]*\s*,\s*$/u;
export const LIST_AFTER = /^(?:['’]s)?\s*(?:,|and\b|&)\s*(?:the\s+)?\p{Lu}/u;
/** Two clauses or two separate acts: "North Korea fires a missile as Russia hosts ...". */
export const CLAUSE_BREAK = clauseBreakPattern();
/** Farther apart than this, two sides in one sentence are in different clauses, not one act. */
export const MAX_DIRECT_GAP = 80;
/** How far around a pair a list shows ("China, Russia, North Korea and Iran"): a few names. */
export const LIST_CONTEXT = 40;
/** How far after the second side a reporting verb still attributes the clause ("..., Kremlin says"). */
export const REPORTING_REACH = 60;
/** How far before a side "unlike" / "в отличие от" makes it a foil; after it, 과 달리 is short. */
export const FOIL_BEFORE_REACH = 30;
export const FOIL_AFTER_REACH = 6;
/** Words and commas only, the last comma right before the second side: "missile launch, ". */
export const TOPIC_LIST_GAP = /^[\p{L}\s'’-]*(?:,[\p{L}\s'’-]*)*,\s*$/u;
/** The second side as the source of the first clause: "..., Russia's defence ministry says". */
export const REPORTING_AFTER = reportingAfterPattern();
/** "Russia and North Korea both vote against ...": two parallel acts, not one joint one. */
export const EACH_AFTER = eachAfterPattern();
/** "Russia and North Korea are the world's most sanctioned nations": a ranking, not a relation. */
export const RANKED_AFTER = rankedAfterPattern();
/** "Moscow–Pyongyang partnership", "Russia and North Korea ties": the pair qualifies their relation. */
export const RELATION_AFTER = relationAfterPattern();
/** "Seoul says Russia and North Korea ...": the third party reports, the pair acts. */
export const SPEAKER_BEFORE = speakerBeforePattern();
/** "트럼프, 푸틴·김정은과 회담": a particle after the pair makes it the object of the third party's act. */
export const KOREAN_OBJECT_AFTER = new RegExp(
  `^${alternation([...CONJUNCTION_PARTICLES, ...OBJECT_PARTICLES, "에게", "에", ...CONJUNCTION_GENITIVE_PARTICLES])}(?!\\p{L})`,
  "u",
);

/** Where the sentence holding `position` starts: titles are one sentence, summaries are split on stops. */
export function firstMatchIn(pattern: RegExp, text: string, from: number, to: number): number | undefined {
  const found = pattern.exec(text.slice(from, to));
  return found ? from + found.index : undefined;
}

export function sentenceStartBefore(text: string, position: number): number {
  const stop = /[.!?。]\s(?=[^.!?。]*$)/u.exec(text.slice(0, position));
  return stop ? stop.index + stop[0].length : 0;
}

/**
 * Whether words lead up to the first side in its sentence ("G7 statement condemns North Korea ...,
 * Russia's war"): then commas list the objects of that verb. A sentence opening on the first side
 * may join two subjects ("North Korean leader, Russian minister discuss ...").
 */
export function listedAfterVerb(text: string, firstStart: number): boolean {
  const lead = text.slice(sentenceStartBefore(text, firstStart), firstStart);
  return /\p{L}{2,}/u.test(lead.replace(/^\W*(?:the|a|an)\s+/iu, ""));
}

export function linkageOf(text: string, first: Hit, second: Hit, thirdParty: RegExp | undefined): Linkage {
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

/** The closest linkage between a hit of each side in one sentence, if both are there. */
export function sidesLinkage(
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
export function standInLinkage(
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
