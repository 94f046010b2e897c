// The watch-list document compiled for matching (one automaton over every alias, cue and foil),
// and the scan of one field into hits. Sides are the document's two, by index: 0, 1, or TOPIC.
import {
  alternation,
  CONJUNCTION_PARTICLES,
  GENITIVE_PARTICLES,
  SIDE_SUFFIXES,
  SUBJECT_PARTICLES,
  TOPIC_PARTICLES,
} from "../language/korean.ts";
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
import { normalizeText } from "./normalize.ts";
import { splitSentences } from "./sentences.ts";

/** Side entities lighter than this (the war in Ukraine) stand in for their side only beside a weapons or troops topic. */
export const STRONG_SIDE_WEIGHT = 0.6;

export interface Compiled {
  automaton: Automaton;
  entities: WatchEntity[];
  /** Per entity: 0 or 1 for the document's two sides, TOPIC for the vocabulary between them. */
  sideOf: Int8Array;
  /** The two sides' ids, in the document's order ("russia", "dprk"). */
  sideIds: readonly [string, string];
  /** Topics that make a backdrop part of the story (the document's backdropCarriers). */
  carriers: WatchList["backdropCarriers"];
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
    carriers: watchList.backdropCarriers,
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
export const KOREAN_NAME_PARTICLE = alternation([
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
export function thirdPartyPattern(names: readonly string[]): RegExp | undefined {
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

export type Field = "title" | "summary";

export const NO_EXCLUSIONS: ReadonlySet<number> = new Set();
export const NO_HITS: readonly Hit[] = Object.freeze([]);

export interface Hit {
  entity: number;
  field: Field;
  start: number;
  end: number;
  sentence: number;
}

export interface FieldScan {
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

export function scanField(compiled: Compiled, field: Field, original: string): FieldScan {
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
export function longestPerEntity(hits: Hit[]): Hit[] {
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
export function assignSentences(summary: Pick<FieldScan, "hits" | "text">): void {
  if (summary.hits.length === 0) return;
  const sentences = splitSentences(summary.text);
  let index = 0;
  for (const hit of summary.hits) {
    while (index < sentences.length - 1 && hit.start >= (sentences[index] as { end: number }).end) index++;
    hit.sentence = 1 + index;
  }
}

/** The side index of a topic entity (sides are 0 and 1). */
export const TOPIC = -1;
export type Side = 0 | 1;
export const SIDES: readonly Side[] = [0, 1];
