// The event lexicon of the watch-list document, compiled for story grouping: patterns for each
// act, object, actor, place and site, and the sets the sameness rules consult. One vocabulary per
// document, built once (a few milliseconds) and kept while the document lives. Pure.
import { HANGUL } from "../language/scripts.ts";
import { defaultWatchList, type WatchList } from "../watchlist/index.ts";
import { type Lexicon, SIGNAL_PREFIX, type Stems } from "../watchlist/lexicon-schema.ts";

export type { Lexicon };
export { SIGNAL_PREFIX };

/** Leaders and group entities are weak evidence that two reports tell the same: half a signal. */
const WEAK_ENTITY_WEIGHT = 0.5;
/** Watch-list topics so broad that nearly every development touches them: less than a leader. */
const BROAD_TOPIC_WEIGHT = 0.3;

export interface StoryVocabulary {
  lexicon: Lexicon;
  /** Who acted when a report names no one more specific ("Russia and North Korea"). */
  pairLabel: string;
  /** Entity ids that name the parties themselves: never evidence of which development. */
  genericEntities: readonly string[];
  /** Prefixes of the parties' names, left out of headline similarity. */
  genericTitleWords: readonly string[];
  /** Every lexicon entry as the signal it gives, with its pattern. */
  patterns: ReadonlyArray<readonly [string, RegExp]>;
  /** Acronyms that count only in capitals, as the actor signals they give. */
  acronyms: ReadonlyArray<readonly [string, RegExp]>;
  /** A headline that announces what is still to come. */
  announcement: RegExp;
  /** Objects that are the backdrop of every development (the treaty). */
  backdropConcepts: ReadonlySet<string>;
  /** Weak evidence: broad topics, the leaders, group entities. */
  backgroundWeight: Readonly<Record<string, number>>;
  /** Act signal → its family. */
  actFamily: ReadonlyMap<string, string>;
  thirdParties: ReadonlySet<string>;
  placeEntities: ReadonlySet<string>;
  distinctActs: ReadonlySet<string>;
  groupEntities: ReadonlySet<string>;
  /** [topic signal, concept signal]: one piece of evidence. */
  topicConcepts: ReadonlyArray<readonly [string, string]>;
  /** English label of each lexicon signal. */
  labels: ReadonlyMap<string, string>;
  /** Per-vocabulary caches of headline words and concepts (a headline's never change). */
  caches: {
    tokens: Map<string, Set<string>>;
    concepts: Map<string, Set<string>>;
    announces: Map<string, boolean>;
  };
}

export function allStems(entry: { stems: Stems }): string[] {
  return [...entry.stems.en, ...entry.stems.ru, ...entry.stems.ko];
}

/** Neither a letter nor a digit before / after: where a word starts or ends. */
const WORD_START = "(?<![\\p{L}\\p{N}])";
const WORD_END = "(?![\\p{L}\\p{N}])";

/**
 * One pattern per lexicon entry. Korean attaches particles to words, so a Hangul stem matches
 * anywhere; other stems must start a word. A stem written with a trailing space ("arms ", "밀 ")
 * must be the whole word. An entry with no stems never matches.
 *
 * Stems are grouped by those boundary rules so each boundary class is written once per pattern:
 * V8 builds a \p{…} class anew for every occurrence (about 0.3 ms each), which with one per stem
 * made this vocabulary the largest part of a cold start. The patterns are only ever tested, never
 * asked where they matched, so the order of the alternatives does not matter.
 */
export function stemPattern(stems: readonly string[]): RegExp {
  if (stems.length === 0) return /(?!)/u;
  const anywhere: string[] = [];
  const wordStart: string[] = [];
  const wholeWord: string[] = [];
  for (const stem of stems) {
    const whole = stem.endsWith(" ");
    const needle = stem.trimEnd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (whole) wholeWord.push(needle);
    else if (HANGUL.test(needle)) anywhere.push(needle);
    else wordStart.push(needle);
  }
  const bounded = [
    ...(wordStart.length > 0 ? [`(?:${wordStart.join("|")})`] : []),
    ...(wholeWord.length > 0 ? [`(?:${wholeWord.join("|")})${WORD_END}`] : []),
  ];
  const alternatives = [
    ...(anywhere.length > 0 ? [`(?:${anywhere.join("|")})`] : []),
    ...(bounded.length > 0 ? [`${WORD_START}(?:${bounded.join("|")})`] : []),
  ];
  return new RegExp(alternatives.join("|"), "u");
}

const COMPILED = new WeakMap<WatchList, StoryVocabulary>();

/** The story vocabulary of a watch-list document, compiled once per document. */
export function storyVocabulary(document: WatchList): StoryVocabulary {
  const known = COMPILED.get(document);
  if (known) return known;
  const vocabulary = compile(document);
  COMPILED.set(document, vocabulary);
  return vocabulary;
}

function compile(document: WatchList): StoryVocabulary {
  const lexicon = document.lexicon;
  const sections = ["acts", "objects", "actors", "places", "sites"] as const;
  const entries = sections.flatMap((section) =>
    lexicon[section].map((entry) => [`${SIGNAL_PREFIX[section]}:${entry.id}`, entry] as const),
  );
  const ids = (list: { ids: string[] }) => list.ids.map((id) => `e:${id}`);
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return {
    lexicon,
    pairLabel: document.story.pairLabel,
    genericEntities: lexicon.genericEntities.ids,
    genericTitleWords: allStems(lexicon.genericTitleWords),
    patterns: entries
      .filter(([, entry]) => allStems(entry).length > 0)
      .map(([id, entry]) => [id, stemPattern(allStems(entry))] as const),
    acronyms: lexicon.actors.flatMap((entry) =>
      (entry.acronyms ?? []).map(
        (acronym) =>
          [
            `e:${entry.id}`,
            new RegExp(`(?<![\\p{L}\\p{N}])${escaped(acronym)}(?![\\p{L}\\p{N}])`, "u"),
          ] as const,
      ),
    ),
    announcement: stemPattern(allStems(lexicon.announcement)),
    backdropConcepts: new Set(
      lexicon.objects.filter((object) => object.backdrop).map((object) => `c:${object.id}`),
    ),
    backgroundWeight: {
      ...Object.fromEntries(lexicon.broadTopics.ids.map((id) => [`t:${id}`, BROAD_TOPIC_WEIGHT])),
      ...Object.fromEntries(ids(lexicon.leaders).map((id) => [id, WEAK_ENTITY_WEIGHT])),
      ...Object.fromEntries(ids(lexicon.groupEntities).map((id) => [id, WEAK_ENTITY_WEIGHT])),
    },
    actFamily: new Map(lexicon.acts.map((act) => [`c:${act.id}`, act.family] as const)),
    thirdParties: new Set(lexicon.actors.filter((actor) => actor.thirdParty).map((actor) => `e:${actor.id}`)),
    placeEntities: new Set(ids(lexicon.placeEntities)),
    distinctActs: new Set(lexicon.acts.filter((act) => act.distinct).map((act) => `c:${act.id}`)),
    groupEntities: new Set(ids(lexicon.groupEntities)),
    topicConcepts: lexicon.topicConcepts.pairs.map(
      ([topic, concept]) => [`t:${topic}`, `c:${concept}`] as const,
    ),
    labels: new Map(entries.map(([id, entry]) => [id, entry.label] as const)),
    caches: { tokens: new Map(), concepts: new Map(), announces: new Map() },
  };
}

/** The bundled document's vocabulary: what grouping uses when no other document is configured. */
export const DEFAULT_VOCABULARY: StoryVocabulary = storyVocabulary(defaultWatchList);
