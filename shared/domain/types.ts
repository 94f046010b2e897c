// The vocabulary of the pipeline. Pure types: no AWS, no I/O.

export type Severity = "normal" | "high";
export const SEVERITIES: readonly Severity[] = ["normal", "high"];

/**
 * Which party of the relationship an entity stands for (the id of one of the watch list's two
 * sides, "russia" or "dprk" in the bundled one), or "topic" for the vocabulary that relates them.
 */
export type EntitySide = string;

/** One news item after fetch → decode → parse → normalize, before matching. */
export interface NewsItem {
  /** Stable across polls: GUID when unique and stable, else canonical link, else a hash of title and date. */
  id: string;
  feedId: string;
  title: string;
  /** Plain text: HTML stripped, entities decoded, whitespace folded. */
  summary: string;
  /** Canonical http(s) link, absent when the feed gave none we can trust. */
  link?: string;
  /** ISO 8601 (UTC) when the feed gave a parseable date. */
  published?: string;
  /** BCP 47 primary tag ("en", "ru", "ko") or "und" when unknown. */
  language: string;
}

/** One alias of one entity found in an item's text. */
export interface EntityHit {
  /** Canonical entity id from the watch list, e.g. "putin", "dprk", "treaty". */
  entity: string;
  /** Human label, e.g. "Vladimir Putin". */
  label: string;
  side: EntitySide;
  /** The text as it stood in the item. */
  text: string;
  field: "title" | "summary";
  start: number;
  end: number;
}

/** What the matcher says about an item, with enough to explain itself in the alert. */
export interface MatchResult {
  relevant: boolean;
  /** 0..1, higher is more certain. */
  score: number;
  severity: Severity;
  /** Distinct entity ids hit, in order of first appearance. */
  entities: string[];
  hits: EntityHit[];
  /** Short name of the rule that decided, e.g. "both-sides-in-sentence" or "no-dprk-side" (named by the missing side's id). */
  rule: string;
  /** The sentence (or window) that carries the strongest evidence, hits marked with «». */
  snippet: string;
}

export interface Matcher {
  match(item: Pick<NewsItem, "title" | "summary" | "language">): MatchResult;
}

/** A matched item as stored (the outbox row). */
export interface StoredItem extends NewsItem {
  match: MatchResult;
  feedName: string;
  official: boolean;
  /** ISO time the poller first saw it. */
  seenAt: string;
}

/** The stages of a story that can cause a publish. */
export type StoryStage = "new" | "escalated" | "confirmed";

export interface StoryReport {
  itemId: string;
  feedId: string;
  feedName: string;
  title: string;
  link?: string;
  language: string;
  published?: string;
  /** The report's event time (eventTime): its plausible published time, else when first seen. */
  eventAt?: string;
  official: boolean;
}

/** The same development told by one or more outlets. */
export interface Story {
  id: string;
  /** Headline of the first report. */
  title: string;
  /**
   * The development in English, from the opening report's evidence ("State Duma: ratification,
   * treaty"): what subjects and SMS show when no English outlet reported it.
   */
  identity?: string;
  severity: Severity;
  entities: string[];
  /** Language-independent signature used for grouping (numbers, places, entities), of all reports. */
  signals: string[];
  /**
   * Each report's own weighted signals, by item id: a new item is compared report by report, so
   * the decision does not depend on the order the reports arrived in. Absent on stories stored
   * before reports kept them; those are compared by `signals`.
   */
  reportSignals?: Record<string, Record<string, number>>;
  reports: StoryReport[];
  /** Distinct outlets (feed ids) that reported it. */
  outlets: string[];
  /**
   * Confirmation level ≥ 2 (storyLevel): two independent outlets reported it, or an official
   * source did. Kept in step with every change of reports.
   */
  confirmed: boolean;
  /**
   * Event time of the opening report: the story's window is centred on it, and its id starts with
   * its UTC day. Absent on stories stored before event times (their firstSeen stands in).
   */
  eventAt?: string;
  /** Processing time the story was opened. */
  firstSeen: string;
  updatedAt: string;
  /**
   * Set while every report of the story was already older than the age limit when first seen:
   * recorded and shown in the digest, never alerted.
   */
  stale?: { maxAgeHours: number };
  /** Snippet and rule of the report that opened the story. */
  why: {
    rule: string;
    snippet: string;
    entities: string[];
    /** The entities as people read them ("North Korea", "the Duma"), in the order of `entities`. */
    labels?: string[];
  };
  /** Optimistic-lock version. */
  version: number;
  /**
   * Every publish the story has called for so far (the story row is the outbox): the notifier
   * replays them after a crash and the delivery ledger turns the ones already sent into no-ops.
   */
  publishes?: StoryPublish[];
}

/** One publish a story step calls for; `key` is unique within the story ("new", "confirmed-2", ...). */
export interface StoryPublish {
  stage: StoryStage;
  level: number;
  key: string;
}
