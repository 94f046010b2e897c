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
import { identityLine } from "./story/identity.ts";
import { DEFAULT_VOCABULARY, type StoryVocabulary } from "./story/lexicon.ts";
import { compare, type Evidence, evidenceOf } from "./story/sameness.ts";
import { headlineConcepts, itemSignals, kindWeight } from "./story/signals.ts";
import { MAX_LEVEL } from "./subscriptions.ts";
import type { Severity, StoredItem, Story, StoryPublish, StoryReport } from "./types.ts";

/**
 * One publish a story step calls for: `level` is the confirmation level the message carries (see
 * AlertAttributes.level), `key` the DeliveryKey.stage ("new", "escalated" or `confirmed-${T}`).
 */

export { DEFAULT_VOCABULARY, type StoryVocabulary, storyVocabulary } from "./story/lexicon.ts";
// What other modules and the tests read from here.
export { compare, type Evidence, evidenceOf, SAMENESS_RULES, type Similarity } from "./story/sameness.ts";
export { itemSignals, textSignals, titleTokens } from "./story/signals.ts";

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
  /**
   * The watch-list document's story vocabulary (storyVocabulary(document)); absent, the bundled
   * document's.
   */
  vocabulary?: StoryVocabulary;
}

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

  const vocabulary = options.vocabulary ?? DEFAULT_VOCABULARY;
  const generic = genericEntitySet(item, vocabulary.genericEntities);
  const signals = itemSignals(item, vocabulary, generic);
  const eventAt = eventTime(item);
  // Every report of the story must lie within the window of this one, so the window does not
  // stretch with each report that joins, and the order reports arrive in does not move it.
  const open = recent.filter((story) =>
    story.reports.every(
      (report) => hoursBetween(report.eventAt ?? storyEventAt(story), eventAt) <= options.windowHours,
    ),
  );
  const stale = options.maxAgeHours !== undefined && isStale(item, options.maxAgeHours);

  const best = bestMatch(evidenceOf(item.title, item.language, signals, vocabulary), open, vocabulary);
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
    ...optional("identity", identityLine(item, signals, options.vocabulary)),
    severity: item.match.severity,
    entities: [...item.match.entities],
    signals: strongestFirst(signals).slice(0, MAX_STORY_SIGNALS),
    reportSignals: { [item.id]: signalRecord(signals) },
    reports,
    outlets,
    confirmed: storyLevel({ reports, outlets }) >= 2,
    firstSeen: at,
    updatedAt: at,
    why: {
      rule: item.match.rule,
      snippet: item.match.snippet,
      entities: [...item.match.entities],
      labels: entityLabels(item),
    },
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

/** Each matched entity's label, as the watch list names it, in the order of match.entities. */
function entityLabels(item: StoredItem): string[] {
  const labels = new Map(item.match.hits.map((hit) => [hit.entity, hit.label] as const));
  return item.match.entities.map((entity) => labels.get(entity) ?? entity);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

// ---------------------------------------------------------------------------------------------
// Choosing the story
//
// An item joins a story when it tells the same development as at least one of the story's
// reports (single link, story/sameness.ts), compared report by report. The decision for a pair
// depends on nothing but the two reports, so outlets polled in any order end up in the same
// stories, as long as every two reports of a development look alike and no two of different
// developments do.

/**
 * The evidence of each report of a story. A report stored before reports kept their own signals
 * borrows the story-wide ones, with the events of its own headline.
 */
function storyEvidence(story: Story, vocabulary: StoryVocabulary): Evidence[] {
  const known = EVIDENCE_CACHE.get(story);
  if (known && known[0]?.vocabulary === vocabulary) return known;
  const evidence = story.reports.map((report) => {
    const own = story.reportSignals?.[report.itemId];
    if (own) return evidenceOf(report.title, report.language, new Map(Object.entries(own)), vocabulary);
    const signals = new Map(story.signals.map((signal) => [signal, kindWeight(signal, vocabulary)]));
    // Which of the story-wide people and places this report led with is not known.
    return {
      ...evidenceOf(report.title, report.language, signals, vocabulary),
      lead: headlineConcepts(report.title, vocabulary),
      actors: new Set<string>(),
    };
  });
  EVIDENCE_CACHE.set(story, evidence);
  return evidence;
}

/** The open story whose closest report shares the most with the item; ties go to the oldest. */
function bestMatch(item: Evidence, open: Story[], vocabulary: StoryVocabulary): Story | undefined {
  let best: { story: Story; score: number } | undefined;
  for (const story of open) {
    let score = Number.NEGATIVE_INFINITY;
    for (const report of storyEvidence(story, vocabulary)) {
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

/**
 * Every placement re-reads the same open stories: their evidence (while the story object lives)
 * and headline words and concepts (bounded; a headline's never change) are kept.
 */
const EVIDENCE_CACHE = new WeakMap<Story, Evidence[]>();

function genericEntitySet(item: StoredItem, configured: readonly string[]): Set<string> {
  const generic = new Set(configured);
  // An entity that *is* one of the sides (its id equals its side) is a country-level name.
  for (const hit of item.match.hits) if (hit.entity === hit.side) generic.add(hit.entity);
  return generic;
}
