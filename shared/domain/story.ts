// Story grouping: reports of the same development from different outlets, in any language, become
// one story, so a subscriber's phone rings once. Pure: no I/O, no clock of its own.
//
// Every relevant item names Russia and North Korea, so those say nothing about *which*
// development an item reports. Grouping therefore weighs specific, language-independent evidence
// (entities the matcher resolved across languages, numbers, dates, places, event concepts), gives
// little weight to what nearly every development shares, and asks for enough of it before
// merging. Each pair of reports is judged on its own, so the grouping does not depend on the
// order in which concurrently polled feeds deliver their items.
import { createHash } from "node:crypto";
import { eventTime, hoursBetween, isStale } from "./event-time.ts";
import { allStems, LEXICON } from "./story/lexicon.ts";
import { MAX_LEVEL } from "./subscriptions.ts";
import type { Severity, StoredItem, Story, StoryPublish, StoryReport } from "./types.ts";

/**
 * One publish a story step calls for: `level` is the confirmation level the message carries (see
 * AlertAttributes.level), `key` the DeliveryKey.stage ("new", "escalated" or `confirmed-${T}`).
 */
export type Publish = StoryPublish;

export interface StoryDecision {
  story: Story;
  created: boolean;
  changed: boolean;
  publishes: Publish[];
}

export interface PlaceOptions {
  /**
   * A report joins a story only when its event time lies within this many hours of the story's
   * (the opening report's event time), whatever words they share.
   */
  windowHours: number;
  now: Date;
  /**
   * A report first seen more than this many hours after its event is recorded, not alerted
   * (config `alerts.maxAgeHours`); absent, every report may alert.
   */
  maxAgeHours?: number;
  /** Confirmation thresholds some subscriber waits for (confirmationThresholds(subscribers)). */
  thresholds: number[];
  /** Entity ids that appear in nearly every relevant item; never evidence of sameness. */
  genericEntities?: readonly string[];
}

/**
 * The two parties and the names that stand for their governments (capitals, the Kremlin, the pair
 * itself): present in nearly every relevant item, so they carry no weight.
 */
export const GENERIC_ENTITIES: readonly string[] = [
  "russia",
  "dprk",
  "moscow",
  "kremlin",
  "pyongyang",
  "russia-dprk",
];

/** Most signals a story keeps; the opening report's strongest come first. */
const MAX_STORY_SIGNALS = 64;

/** Confirmation level: distinct outlets, or MAX_LEVEL once an official source reported it. */
export function storyLevel(story: Pick<Story, "reports" | "outlets">): number {
  if (story.reports.some((report) => report.official)) return MAX_LEVEL;
  return story.outlets.length;
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Deterministic: a retried item recreates the same story id, so the conditional create catches it.
 * The id starts with the UTC day of the event, the partition its neighbours in time are read from.
 */
export function storyIdFor(itemId: string, eventAt: Date): string {
  const digest = createHash("sha256").update(itemId).digest("hex");
  return `${utcDay(eventAt)}~${digest.slice(0, 16)}`;
}

/** The event time a story's window is anchored on (stories stored before it was kept: first seen). */
export function storyEventAt(story: Pick<Story, "eventAt" | "firstSeen">): string {
  return story.eventAt ?? story.firstSeen;
}

export function placeInStory(item: StoredItem, recent: Story[], options: PlaceOptions): StoryDecision {
  // An edited or re-published item (same id) never alerts again, whatever changed in it.
  const known = recent.find((story) => story.reports.some((report) => report.itemId === item.id));
  if (known) return { story: known, created: false, changed: false, publishes: [] };

  const generic = genericEntitySet(item, options.genericEntities ?? GENERIC_ENTITIES);
  const signals = itemSignals(item, generic);
  const eventAt = eventTime(item);
  // Every report of the story must lie within the window of this one, so the window does not
  // stretch with each report that joins, and the order reports arrive in does not move it.
  const open = recent.filter((story) =>
    story.reports.every(
      (report) => hoursBetween(report.eventAt ?? storyEventAt(story), eventAt) <= options.windowHours,
    ),
  );
  const stale = options.maxAgeHours !== undefined && isStale(item, options.maxAgeHours);

  const best = bestMatch(evidenceOf(item.title, item.language, signals), open);
  if (!best) return openStory(item, signals, eventAt, stale, options);
  return joinStory(best, item, signals, stale, options);
}

function openStory(
  item: StoredItem,
  signals: Map<string, number>,
  eventAt: string,
  stale: boolean,
  options: PlaceOptions,
): StoryDecision {
  const at = options.now.toISOString();
  const reports = [reportOf(item)];
  const outlets = [item.feedId];
  const story: Story = {
    id: storyIdFor(item.id, new Date(eventAt)),
    eventAt,
    title: item.title,
    severity: item.match.severity,
    entities: [...item.match.entities],
    signals: strongestFirst(signals).slice(0, MAX_STORY_SIGNALS),
    reportSignals: { [item.id]: signalRecord(signals) },
    reports,
    outlets,
    confirmed: storyLevel({ reports, outlets }) >= 2,
    firstSeen: at,
    updatedAt: at,
    why: { rule: item.match.rule, snippet: item.match.snippet, entities: [...item.match.entities] },
    version: 1,
  };
  if (stale && options.maxAgeHours !== undefined) {
    story.stale = { maxAgeHours: options.maxAgeHours };
    return { story, created: true, changed: true, publishes: [] };
  }
  const publishes: Publish[] = [{ stage: "new", level: storyLevel(story), key: "new" }];
  return { story, created: true, changed: true, publishes };
}

function joinStory(
  before: Story,
  item: StoredItem,
  signals: Map<string, number>,
  stale: boolean,
  options: PlaceOptions,
): StoryDecision {
  const severity: Severity = before.severity === "high" || item.match.severity === "high" ? "high" : "normal";
  const outlets = before.outlets.includes(item.feedId) ? before.outlets : [...before.outlets, item.feedId];
  const reports = [...before.reports, reportOf(item)];
  const levelBefore = storyLevel(before);
  const levelAfter = storyLevel({ reports, outlets });
  const story: Story = {
    ...before,
    severity,
    entities: union(before.entities, item.match.entities),
    signals: union(before.signals, strongestFirst(signals)).slice(0, MAX_STORY_SIGNALS),
    reportSignals: { ...before.reportSignals, [item.id]: signalRecord(signals) },
    reports,
    outlets,
    confirmed: levelAfter >= 2,
    updatedAt: options.now.toISOString(),
    version: before.version + 1,
  };

  const publishes: Publish[] = [];
  if (before.stale) {
    // Recorded without an alert so far: the first fresh report of it is news to the subscriber.
    if (stale) return { story, created: false, changed: true, publishes };
    delete story.stale;
    publishes.push({ stage: "new", level: levelAfter, key: "new" });
  } else if (before.severity === "normal" && severity === "high") {
    // "escalated" carries the current level, so it already reaches every subscriber whose
    // threshold was just crossed: sending "confirmed" too would reach them twice.
    publishes.push({ stage: "escalated", level: levelAfter, key: "escalated" });
  } else {
    for (const threshold of [...new Set(options.thresholds)].sort((a, b) => a - b)) {
      if (threshold > 1 && levelBefore < threshold && threshold <= levelAfter) {
        publishes.push({ stage: "confirmed", level: threshold, key: `confirmed-${threshold}` });
      }
    }
  }
  return { story, created: false, changed: true, publishes };
}

function strongestFirst(signals: ReadonlyMap<string, number>): string[] {
  return [...signals.entries()].sort((a, b) => b[1] - a[1]).map(([signal]) => signal);
}

/** A report's signals as stored: the strongest MAX_STORY_SIGNALS, weights rounded for the row. */
function signalRecord(signals: ReadonlyMap<string, number>): Record<string, number> {
  const record: Record<string, number> = {};
  for (const signal of strongestFirst(signals).slice(0, MAX_STORY_SIGNALS))
    record[signal] = Math.round((signals.get(signal) ?? 0) * 1000) / 1000;
  return record;
}

function reportOf(item: StoredItem): StoryReport {
  const report: StoryReport = {
    itemId: item.id,
    feedId: item.feedId,
    feedName: item.feedName,
    title: item.title,
    language: item.language,
    official: item.official,
  };
  if (item.link !== undefined) report.link = item.link;
  if (item.published !== undefined) report.published = item.published;
  report.eventAt = eventTime(item);
  return report;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

// ---------------------------------------------------------------------------------------------
// Similarity
//
// An item joins a story when it tells the same development as at least one of the story's
// reports (single link), compared report by report with weights that depend on nothing but the
// two reports. The decision for a pair is then the same whatever else is open and whichever
// arrived first, so outlets polled in any order end up in the same stories, as long as every two
// reports of a development look alike and no two reports of different developments do.

/**
 * How much a signal of each kind says. People and places (`e:`) are specific; topic entities
 * (`t:`, "diplomacy", "economy") are watch-list categories that many developments share, so the
 * finer concepts (`c:`) carry more; figures and dates are the most telling.
 */
const KIND_WEIGHT: Record<string, number> = { e: 1, t: 0.5, c: 1, p: 1, s: 1, n: 1.5, d: 1.5, y: 0.3 };
/** Evidence found only in a news summary counts for less than evidence in the headline. */
const SUMMARY_FACTOR = 0.6;

/**
 * Inside the event-time window few developments overlap, so two reports that share any evidence
 * tell the same development unless their identities conflict (the rules in `compare`). Shared
 * evidence this strong (a figure and a place, say) outweighs a conflict the wording suggests.
 */
const DECISIVE_SHARED = 3;
/**
 * Shared evidence beyond the background (the leaders, the sides, broad topics, the treaty) needed
 * to call two reports one development: one full-strength signal, or weaker ones adding up to it.
 * Two reports that name the same leaders and the treaty and nothing else ("what comes next") are
 * not known to tell the same thing.
 */
const MIN_SPECIFIC_SHARED = 0.5;
/** Near-identical headlines in the same language are the same report, whatever else differs. */
const MIN_TITLE_ALONE = 0.6;

/** What one report (or the item being placed) says, ready to compare. */
export interface Evidence {
  signals: ReadonlyMap<string, number>;
  total: number;
  language: string;
  /** Headline words, compared only with headlines in the same language. */
  tokens: Set<string>;
  /** The acts and objects the report leads with: concepts at headline strength. */
  lead: Set<string>;
  /** The families of the acts it leads with ("meeting", "legislate", "capture", ...). */
  families: Set<string>;
  /** Families of every act it names, headline or summary. */
  allFamilies: Set<string>;
  /** The specific people, bodies and places it leads with (not the leaders, groups or sides). */
  actors: Set<string>;
  /** Every specific actor and place it names, headline or summary. */
  allActors: Set<string>;
  /** The kinds of site it leads with (a factory, an airfield), and every one it names. */
  sites: Set<string>;
  allSites: Set<string>;
  /** Its headline announces something still to come. */
  announces: boolean;
}

export function evidenceOf(title: string, language: string, signals: ReadonlyMap<string, number>): Evidence {
  let total = 0;
  const lead = new Set<string>();
  const families = new Set<string>();
  const allFamilies = new Set<string>();
  const actors = new Set<string>();
  const allActors = new Set<string>();
  const sites = new Set<string>();
  const allSites = new Set<string>();
  for (const [signal, weight] of signals) {
    total += weight;
    const headline = weight >= kindWeight(signal);
    const family = ACT_FAMILY.get(signal);
    if (family !== undefined) allFamilies.add(family);
    if (isSpecificActor(signal)) allActors.add(signal);
    if (signal.startsWith("s:")) allSites.add(signal);
    if (!headline) continue;
    if (signal.startsWith("s:")) sites.add(signal);
    if (isEventConcept(signal)) lead.add(signal);
    if (family !== undefined) families.add(family);
    if (isSpecificActor(signal)) actors.add(signal);
  }
  return {
    signals,
    total,
    language,
    tokens: headlineTokens(title, language),
    lead,
    families,
    allFamilies,
    actors,
    allActors,
    sites,
    allSites,
    announces: announces(title),
  };
}

/** Evidence nearly every development shares: the leaders, groups, broad topics, the backdrop. */
function isBackground(signal: string): boolean {
  return (
    signal in BACKGROUND_WEIGHT ||
    GROUP_ENTITIES.has(signal) ||
    BACKDROP_CONCEPTS.has(signal) ||
    signal.startsWith("t:")
  );
}

/** A person or body (not a place): the same one acting twice on one visit is one development. */
function isPerson(signal: string): boolean {
  return signal.startsWith("e:") && !PLACE_ENTITIES.has(signal);
}

function isSpecificActor(signal: string): boolean {
  return /^[ep]:/.test(signal) && !(signal in BACKGROUND_WEIGHT) && !GROUP_ENTITIES.has(signal);
}

function announces(title: string): boolean {
  return memo(ANNOUNCE_CACHE, title, () => ANNOUNCEMENT.test(title.normalize("NFKC").toLowerCase()));
}

/**
 * The evidence of each report of a story. A report stored before reports kept their own signals
 * borrows the story-wide ones, with the events of its own headline.
 */
function storyEvidence(story: Story): Evidence[] {
  const known = EVIDENCE_CACHE.get(story);
  if (known) return known;
  const evidence = story.reports.map((report) => {
    const own = story.reportSignals?.[report.itemId];
    if (own) return evidenceOf(report.title, report.language, new Map(Object.entries(own)));
    const signals = new Map(story.signals.map((signal) => [signal, kindWeight(signal)]));
    // Which of the story-wide people and places this report led with is not known.
    return {
      ...evidenceOf(report.title, report.language, signals),
      lead: headlineConcepts(report.title),
      actors: new Set<string>(),
    };
  });
  EVIDENCE_CACHE.set(story, evidence);
  return evidence;
}

/** The open story whose closest report shares the most with the item; ties go to the oldest. */
function bestMatch(item: Evidence, open: Story[]): Story | undefined {
  let best: { story: Story; score: number } | undefined;
  for (const story of open) {
    let score = Number.NEGATIVE_INFINITY;
    for (const report of storyEvidence(story)) {
      const similarity = compare(item, report);
      if (similarity.same) score = Math.max(score, similarity.shared + similarity.title);
    }
    if (score === Number.NEGATIVE_INFINITY) continue;
    const better =
      !best ||
      score > best.score ||
      (score === best.score && story.firstSeen < best.story.firstSeen) ||
      (score === best.score && story.firstSeen === best.story.firstSeen && story.id < best.story.id);
    if (better) best = { story, score };
  }
  return best?.story;
}

export interface Similarity {
  shared: number;
  overlap: number;
  title: number;
  same: boolean;
  /** The sameness rule that decided (see SAMENESS_RULES). */
  rule: SamenessRule;
}

/**
 * The sameness rules, in the order they are tried; the first that applies decides. Two reports
 * reach them only when their event times lie within the story window.
 */
export const SAMENESS_RULES = {
  "decisive-evidence": "shared figures, places and actors this strong leave no doubt",
  "announcement-vs-event": "an announced act and the act itself are two developments",
  "third-party-reaction": "a third country's or body's reaction is its own development",
  "different-actors": "the people, bodies or places each report leads with are different",
  "different-sites": "each leads with a different kind of site (a factory, an airfield)",
  "different-acts": "each leads with a different kind of act, and no person or body is shared",
  "different-objects": "each leads with a different object (wheat / oil), and no person is shared",
  "different-figures": "two statistics that share no figure are two estimates, two developments",
  "nothing-shared": "reports that share only the background are not known to be the same",
  "nothing-led-shared": "what they share is only mentioned in passing, not what either leads with",
  "same-headline": "near-identical headlines in one language are one report",
  "shared-evidence": "inside the window, specific shared evidence and no conflict make one development",
} as const;
export type SamenessRule = keyof typeof SAMENESS_RULES;

/** Whether two reports tell the same development. Symmetric, and blind to everything else. */
export function compare(a: Evidence, b: Evidence): Similarity {
  let shared = 0;
  let specific = 0;
  for (const [signal, weight] of a.signals) {
    const other = b.signals.get(signal);
    if (other === undefined) continue;
    shared += Math.min(weight, other);
    if (!isBackground(signal)) specific += Math.min(weight, other);
  }
  const smaller = Math.min(a.total, b.total);
  const overlap = smaller > 0 ? shared / smaller : 0;
  const title = a.language === b.language ? dice(a.tokens, b.tokens) : 0;
  const verdict = (same: boolean, rule: SamenessRule): Similarity => ({ shared, overlap, title, same, rule });

  if (shared >= DECISIVE_SHARED) return verdict(true, "decisive-evidence");
  if (a.announces !== b.announces) return verdict(false, "announcement-vs-event");
  if (reactsAlone(a, b) || reactsAlone(b, a)) return verdict(false, "third-party-reaction");
  const sharesActor = meets(a.actors, b.allActors) || meets(b.actors, a.allActors);
  // The same person or body doing two things on one visit is one development; the same city
  // hosting two events is not.
  const sharesPerson =
    [...a.actors].some((actor) => isPerson(actor) && b.allActors.has(actor)) ||
    [...b.actors].some((actor) => isPerson(actor) && a.allActors.has(actor));
  if (a.actors.size > 0 && b.actors.size > 0 && !sharesActor) return verdict(false, "different-actors");
  const sharesSite = meets(a.sites, b.allSites) || meets(b.sites, a.allSites);
  if (a.sites.size > 0 && b.sites.size > 0 && !sharesSite) return verdict(false, "different-sites");
  const sharesAct = meets(a.families, b.families);
  if (a.families.size > 0 && b.families.size > 0 && !sharesAct && !sharesPerson)
    return verdict(false, "different-acts");
  const aObjects = objectsOf(a.lead);
  const bObjects = objectsOf(b.lead);
  const sharesObject =
    [...aObjects].some((o) => b.signals.has(o)) || [...bObjects].some((o) => a.signals.has(o));
  if (aObjects.size > 0 && bObjects.size > 0 && !sharesObject && !sharesPerson)
    return verdict(false, "different-objects");
  const figures = [...a.signals.keys()].some((signal) => /^[nd]:/.test(signal) && b.signals.has(signal));
  if (a.families.has(FIGURES_FAMILY) && b.families.has(FIGURES_FAMILY) && !figures)
    return verdict(false, "different-figures");
  if (specific < MIN_SPECIFIC_SHARED) return verdict(false, "nothing-shared");
  // What they share must include what one of them leads with (its act, object, actor or site) or a
  // figure or date: two reports that only mention the same thing in passing tell different news.
  const leads = (x: Evidence, y: Evidence) =>
    [...x.lead, ...x.actors, ...x.sites].some(
      (signal) => y.signals.has(signal) && !BACKDROP_CONCEPTS.has(signal),
    );
  if (!leads(a, b) && !leads(b, a) && !figures) return verdict(false, "nothing-led-shared");
  if (title >= MIN_TITLE_ALONE) return verdict(true, "same-headline");
  return verdict(true, "shared-evidence");
}

/**
 * `a` leads with a third party the other report never names, and either reacts (warns, condemns,
 * summons) or shares no kind of act with it: a third party's move, not the event. A third party
 * that confirms the event itself (an intelligence agency confirming a capture) shares its act.
 */
function reactsAlone(a: Evidence, b: Evidence): boolean {
  const third = [...a.actors].some((actor) => THIRD_PARTIES.has(actor) && !b.allActors.has(actor));
  if (!third) return false;
  return (
    a.families.has(REACTION_FAMILY) || !(meets(a.families, b.allFamilies) || meets(b.families, a.allFamilies))
  );
}

/** The objects (not acts) among lead concepts: "wheat", "troops", "oil". */
function objectsOf(lead: ReadonlySet<string>): Set<string> {
  return new Set([...lead].filter((concept) => !ACT_FAMILY.has(concept)));
}

function meets(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const value of a) if (b.has(value)) return true;
  return false;
}

/**
 * Every placement re-reads the same open stories: their evidence (while the story object lives)
 * and headline words and concepts (bounded; a headline's never change) are kept.
 */
const EVIDENCE_CACHE = new WeakMap<Story, Evidence[]>();
const CACHE_LIMIT = 20_000;
const TOKEN_CACHE = new Map<string, Set<string>>();
const CONCEPT_CACHE = new Map<string, Set<string>>();
const ANNOUNCE_CACHE = new Map<string, boolean>();

function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function headlineTokens(title: string, language: string): Set<string> {
  return memo(TOKEN_CACHE, `${language}\u0000${title}`, () => titleTokens(title, language));
}

/** Objects that are the backdrop of every development (the treaty): weigh like a topic, name no event. */
const BACKDROP_CONCEPTS: ReadonlySet<string> = new Set(
  LEXICON.objects.filter((object) => object.backdrop).map((object) => `c:${object.id}`),
);
/**
 * Weak evidence that two reports tell the same: watch-list topics so broad that nearly every
 * development touches them, the two leaders (named in most developments whoever acts in them), and
 * group entities (they say which side, not who).
 */
const BACKGROUND_WEIGHT: Record<string, number> = {
  "t:diplomacy": 0.3,
  "t:economy": 0.3,
  ...Object.fromEntries(LEXICON.leaders.ids.map((id) => [`e:${id}`, 0.5])),
  ...Object.fromEntries(LEXICON.groupEntities.ids.map((id) => [`e:${id}`, 0.5])),
};

function isEventConcept(signal: string): boolean {
  return signal.startsWith("c:") && !BACKDROP_CONCEPTS.has(signal);
}

/** Concepts a headline names as what happened. */
function headlineConcepts(title: string): Set<string> {
  return memo(CONCEPT_CACHE, title, () => new Set([...textSignals(title)].filter(isEventConcept)));
}

function kindWeight(signal: string): number {
  const background = BACKGROUND_WEIGHT[signal];
  if (background !== undefined) return background;
  if (BACKDROP_CONCEPTS.has(signal)) return KIND_WEIGHT.t ?? 0.5;
  return KIND_WEIGHT[signal.slice(0, signal.indexOf(":"))] ?? 1;
}

function genericEntitySet(item: StoredItem, configured: readonly string[]): Set<string> {
  const generic = new Set(configured);
  // An entity that *is* one of the sides (its id equals its side) is a country-level name.
  for (const hit of item.match.hits) if (hit.entity === hit.side) generic.add(hit.entity);
  return generic;
}

/**
 * Language-independent evidence of what an item reports, with weights: `e:` matched people and
 * places, `t:` matched topics, `c:` event concepts, `p:` places, `n:` quantities, `d:` calendar
 * dates, `y:` years.
 */
export function itemSignals(
  item: Pick<StoredItem, "title" | "summary" | "match"> &
    Partial<Pick<StoredItem, "published" | "seenAt" | "official">>,
  generic: ReadonlySet<string> = new Set(GENERIC_ENTITIES),
): Map<string, number> {
  // An official statement's headline is a formula ("Comment by the Information and Press
  // Department on ..."): its body is the statement itself and counts like a news headline.
  const summaryFactor = item.official ? 1 : SUMMARY_FACTOR;
  const signals = new Map<string, number>();
  const add = (signal: string, weight: number) =>
    signals.set(signal, Math.max(signals.get(signal) ?? 0, weight));

  for (const entity of item.match.entities) {
    if (generic.has(entity)) continue;
    const hits = item.match.hits.filter((hit) => hit.entity === entity);
    const inTitle = hits.length === 0 || hits.some((hit) => hit.field === "title");
    const signal = hits.some((hit) => hit.side === "topic") ? `t:${entity}` : `e:${entity}`;
    add(signal, kindWeight(signal) * (inTitle ? 1 : summaryFactor));
  }
  const reference = new Date(item.published ?? item.seenAt ?? Number.NaN);
  for (const [text, factor] of [
    [item.title, 1],
    [item.summary, summaryFactor],
  ] as const) {
    // A figure is as specific in the summary as in the headline, and summaries are where
    // reports give them.
    for (const signal of textSignals(text, reference))
      add(signal, kindWeight(signal) * (signal.startsWith("n:") ? 1 : factor));
  }
  // A watch-list topic and the event concept that mostly comes from the same words ("troops")
  // are one piece of evidence, not two.
  for (const [topic, concept] of TOPIC_CONCEPTS) if (signals.has(concept)) signals.delete(topic);
  return signals;
}

const TOPIC_CONCEPTS: ReadonlyArray<readonly [string, string]> = [
  ["t:troops", "c:troops"],
  ["t:munitions", "c:ammunition"],
  ["t:missiles", "c:missile"],
  ["t:sanctions", "c:sanctions"],
  ["t:technology", "c:technology"],
];

/** Signals found in free text, in any of the watched languages. */
export function textSignals(text: string, reference?: Date): Set<string> {
  const found = new Set<string>();
  const lower = text.normalize("NFKC").toLowerCase();
  for (const [id, pattern] of LEXICON_PATTERNS) if (pattern.test(lower)) found.add(id);
  const cased = text.normalize("NFKC");
  for (const [id, pattern] of ACRONYM_PATTERNS) if (pattern.test(cased)) found.add(id);
  const calendar = dates(lower, reference);
  for (const signal of calendar.signals) found.add(signal);
  // The day of a date is not a quantity: "26 November" must not also count as the figure 26.
  let rest = lower;
  for (const [start, end] of calendar.spans)
    rest = `${rest.slice(0, start)}${" ".repeat(end - start)}${rest.slice(end)}`;
  for (const signal of quantities(rest)) found.add(signal);
  return found;
}

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;

/**
 * One pattern per lexicon entry. Korean attaches particles to words, so a Hangul stem matches
 * anywhere; other stems must start a word. A stem written with a trailing space ("arms ", "밀 ")
 * must be the whole word.
 */
function stemPattern(stems: readonly string[]): RegExp {
  const alternatives = stems.map((stem) => {
    const wholeWord = stem.endsWith(" ");
    const needle = stem.trimEnd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const start = HANGUL.test(needle) && !wholeWord ? "" : "(?<![\\p{L}\\p{N}])";
    return `${start}${needle}${wholeWord ? "(?![\\p{L}\\p{N}])" : ""}`;
  });
  return new RegExp(alternatives.join("|"), "u");
}

/** Every lexicon entry as the signal it gives: acts and objects `c:`, actors `e:`, places `p:`. */
const LEXICON_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ...LEXICON.acts.map((entry) => [`c:${entry.id}`, entry] as const),
  ...LEXICON.objects.map((entry) => [`c:${entry.id}`, entry] as const),
  ...LEXICON.actors.map((entry) => [`e:${entry.id}`, entry] as const),
  ...LEXICON.places.map((entry) => [`p:${entry.id}`, entry] as const),
  ...LEXICON.sites.map((entry) => [`s:${entry.id}`, entry] as const),
]
  .filter(([, entry]) => allStems(entry).length > 0)
  .map(([id, entry]) => [id, stemPattern(allStems(entry))] as const);

/** Acronyms that count only in capitals, as the actor signals they give. */
const ACRONYM_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = LEXICON.actors.flatMap((entry) =>
  (entry.acronyms ?? []).map(
    (acronym) =>
      [
        `e:${entry.id}`,
        new RegExp(
          `(?<![\\p{L}\\p{N}])${acronym.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`,
          "u",
        ),
      ] as const,
  ),
);

/** A headline that announces what is still to come ("will visit", "посетит", "방문할 예정"). */
const ANNOUNCEMENT = stemPattern(allStems(LEXICON.announcement));

/** Act signal → its family: acts of one family tell one development (the arrival and the talks). */
const ACT_FAMILY: ReadonlyMap<string, string> = new Map(
  LEXICON.acts.map((act) => [`c:${act.id}`, act.family] as const),
);
/** The act family of a third party's reaction (see the "third-party-reaction" rule). */
const REACTION_FAMILY = "react";
/** The act family of a statistic ("trade doubled"): see the "different-figures" rule. */
const FIGURES_FAMILY = "figures";
const THIRD_PARTIES: ReadonlySet<string> = new Set(
  LEXICON.actors.filter((actor) => actor.thirdParty).map((actor) => `e:${actor.id}`),
);
const PLACE_ENTITIES: ReadonlySet<string> = new Set(LEXICON.placeEntities.ids.map((id) => `e:${id}`));
/** Entities that say which side, not who acted: groups, regions, the source, the backdrop. */
const GROUP_ENTITIES: ReadonlySet<string> = new Set(LEXICON.groupEntities.ids.map((id) => `e:${id}`));

/** Small numbers spelled out before a scale word: "three thousand", "трёх тысяч". */
const SPELLED_DIGITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(?:one|a|один|одн)/u, 1],
  [/^(?:two|два|две|двух)/u, 2],
  [/^(?:three|три|трёх|трех)/u, 3],
  [/^(?:four|четыр)/u, 4],
  [/^(?:five|пят)/u, 5],
  [/^(?:six|шест)/u, 6],
  [/^(?:seven|сем)/u, 7],
  [/^(?:eight|восем|восьм)/u, 8],
  [/^(?:nine|девят)/u, 9],
  [/^(?:ten|десят)/u, 10],
];
const SPELLED_QUANTITY =
  /(?<![\p{L}\p{N}])(one|a|two|three|four|five|six|seven|eight|nine|ten|один|одна|одной|одного|два|две|двух|три|трёх|трех|четыр\p{L}*|пят\p{L}*|шест\p{L}*|сем\p{L}*|восем\p{L}*|восьм\p{L}*|девят\p{L}*|десят\p{L}*)\s+(thousand|million|billion|тысяч\p{L}*|миллион\p{L}*|миллиард\p{L}*)/gu;

const SCALE_WORDS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^\s*(?:thousand|тыс\.?|тысяч[аи]?|천)/u, 1e3],
  [/^\s*(?:million|mln|млн\.?|миллион(?:а|ов)?|백만)/u, 1e6],
  [/^\s*(?:billion|bln|млрд\.?|миллиард(?:а|ов)?|십억)/u, 1e9],
  [/^\s*(?:만)/u, 1e4],
  [/^\s*(?:억)/u, 1e8],
];

/**
 * Quantities, normalised across languages: "100,000 tonnes", "100 тысяч тонн" and "10만 톤" are
 * all `n:100000`. Single digits without a scale and four-digit years are too common to count
 * (years become the weak `y:` signal).
 */
function quantities(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SPELLED_QUANTITY)) {
    const digit = SPELLED_DIGITS.find(([pattern]) => pattern.test(match[1] ?? ""))?.[1];
    const scale = SCALE_WORDS.find(([pattern]) => pattern.test(match[2] ?? ""))?.[1];
    if (digit !== undefined && scale !== undefined) found.push(`n:${digit * scale}`);
  }
  const number = /(?<![\p{L}\p{N}.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?:[.,](\d+))?/gu;
  for (const match of text.matchAll(number)) {
    const whole = (match[1] ?? "").replace(/[,\u00a0\u202f ]/g, "");
    const fraction = match[2];
    const rest = text.slice((match.index ?? 0) + match[0].length);
    const scale = SCALE_WORDS.find(([pattern]) => pattern.test(rest))?.[1];
    // "1,5 млн" uses a decimal comma; "100,000" uses a thousands comma (three digits after it).
    let value = Number(whole);
    if (fraction !== undefined && (scale !== undefined || fraction.length !== 3))
      value = Number(`${whole}.${fraction}`);
    else if (fraction !== undefined) value = Number(`${whole}${fraction}`);
    if (!Number.isFinite(value)) continue;
    if (scale !== undefined) value *= scale;
    else if (value >= 1900 && value <= 2100 && Number.isInteger(value) && whole.length === 4) {
      found.push(`y:${value}`);
      continue;
    } else if (value < 10) continue;
    found.push(`n:${Math.round(value * 1000) / 1000}`);
  }
  return found;
}

const MONTHS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ["january", "jan", "январ"]],
  [2, ["february", "feb", "феврал"]],
  [3, ["march", "mar", "март"]],
  [4, ["april", "apr", "апрел"]],
  [5, ["may", "мая", "май"]],
  [6, ["june", "jun", "июн"]],
  [7, ["july", "jul", "июл"]],
  [8, ["august", "aug", "август"]],
  [9, ["september", "sept", "sep", "сентябр"]],
  [10, ["october", "oct", "октябр"]],
  [11, ["november", "nov", "ноябр"]],
  [12, ["december", "dec", "декабр"]],
];

/**
 * Calendar dates: "June 19", "19 June", "19 июня", "6월 19일" are all `d:6-19`. Korean reports
 * often give the day alone ("26일"); with the item's own date as reference it becomes a full date
 * (this month, or last month for a day still to come).
 */
function dates(text: string, reference?: Date): { signals: string[]; spans: Array<[number, number]> } {
  const signals: string[] = [];
  const spans: Array<[number, number]> = [];
  const known = reference !== undefined && !Number.isNaN(reference.getTime());
  // A date given with another year ("the treaty of 19 June 2024" in a 2026 report) recalls the
  // past; it says nothing about which development of this week the report tells.
  const found = (start: number, end: number, month: number, day: number, year?: string) => {
    spans.push([start, end]);
    if (year !== undefined && known && Number(year) !== reference.getUTCFullYear()) return;
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) signals.push(`d:${month}-${day}`);
  };
  const yearAfter = (end: number) => /^,?\s*(\d{4})(?!\d)/u.exec(text.slice(end))?.[1];
  // Russian month names inflect ("июня", "июнь"), so their stems start the word; English ones
  // must match whole: "19 marines" is not the 19th of March.
  const monthOf = (word: string): number | undefined =>
    MONTHS.find(([, names]) =>
      names.some((name) => (/[\u0400-\u04ff]/u.test(name) ? word.startsWith(name) : word === name)),
    )?.[0];
  const dayMonth = /(?<!\d)(\d{1,2})\s+([\p{L}]+)/gu;
  const monthDay = /([\p{L}]+)\.?\s+(\d{1,2})(?!\d)/gu;
  for (const m of text.matchAll(dayMonth)) {
    const month = monthOf(m[2] ?? "");
    const end = m.index + m[0].length;
    if (month !== undefined) found(m.index, end, month, Number(m[1]), yearAfter(end));
  }
  for (const m of text.matchAll(monthDay)) {
    const month = monthOf(m[1] ?? "");
    const end = m.index + m[0].length;
    if (month !== undefined) found(m.index, end, month, Number(m[2]), yearAfter(end));
  }
  for (const m of text.matchAll(/(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일/gu))
    found(m.index, m.index + m[0].length, Number(m[2]), Number(m[3]), m[1]);
  if (known) {
    for (const m of text.matchAll(/(?<![\d월]\s*|\d)(\d{1,2})\s*일(?!본)/gu)) {
      const day = Number(m[1]);
      const month = reference.getUTCMonth() + 1;
      const inMonth = day <= reference.getUTCDate() + 1 ? month : ((month + 10) % 12) + 1;
      found(m.index, m.index + m[0].length, inMonth, day);
    }
  }
  return { signals, spans };
}

/**
 * Headline words that say which development it is. The parties' own names are left out (every
 * headline has them), as are function words; the rest is cut to a prefix so "ratifies" and
 * "ratified", "договор" and "договора" meet. Korean words become syllable pairs, which survive
 * the particles glued to them.
 */
export function titleTokens(title: string, language: string): Set<string> {
  const tokens = new Set<string>();
  const folded = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(\d)[,.\u00a0\u202f ](?=\d{3}(?!\d))/gu, "$1");
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    if (HANGUL.test(word)) {
      if (GENERIC_TITLE_WORDS.some((generic) => word.startsWith(generic))) continue;
      const syllables = [...word];
      for (let i = 0; i + 1 < syllables.length; i++) tokens.add(`${syllables[i]}${syllables[i + 1]}`);
      continue;
    }
    if (word.length < 3 && !/\d/.test(word)) continue;
    if (STOPWORDS.has(word)) continue;
    if (GENERIC_TITLE_WORDS.some((generic) => word.startsWith(generic))) continue;
    tokens.add(language === "ko" ? word : word.slice(0, 5));
  }
  return tokens;
}

/** Dice overlap of two headlines' words. */
function dice(a: Set<string>, b: Set<string>): number {
  if (a.size < 2 || b.size < 2) return 0;
  let common = 0;
  for (const token of a) if (b.has(token)) common++;
  return (2 * common) / (a.size + b.size);
}

const STOPWORDS = new Set(
  [
    "the and for with from into over after before amid says said will would could has have had was were are its it's",
    "this that than then new about against says report reports first more most not but who what why how when where",
    "and also been being which while under between during",
    "что как для при или его она они это так уже все ещё еще было быть будет после перед между против заявил",
    "заявили сообщил сообщили также около более менее года году",
  ]
    .join(" ")
    .split(" "),
);

/** The parties' names in the three languages: present in every relevant headline. */
const GENERIC_TITLE_WORDS = [
  "russia",
  "moscow",
  "kreml",
  "north",
  "korea",
  "dprk",
  "pyongyang",
  "росси",
  "российск",
  "москв",
  "кремл",
  "кндр",
  "северн",
  "коре",
  "пхенья",
  "러시아",
  "북한",
  "북",
  "평양",
  "모스크바",
  "조선",
];
