// The ports the use cases depend on. Adapters in shared/adapters implement them; tests and the local
// run pass real adapters (DynamoDB Local, loopback HTTP) or, for SNS only, a mocked client.
import type { AppConfig, FeedConfig, SubscriberConfig } from "./config/schema.ts";
import type { FeedSchedule, PollBatch } from "./domain/dispatch.ts";
import type { NewsItem, StoredItem, Story } from "./domain/types.ts";

export type FeedStatus = "active" | "unhealthy" | "retired";

/** What we remember about a feed between polls (survives cold starts). */
export interface FeedState {
  feedId: string;
  /** Current URL: a permanent redirect replaces the configured one. */
  url: string;
  /** The configured URL the state was created for; a config change resets the state. */
  configuredUrl: string;
  etag?: string;
  lastModified?: string;
  consecutiveFailures: number;
  /** ISO time before which the feed is not polled (backoff or Retry-After). */
  nextAttemptAt?: string;
  /** Last poll that brought new content or ended a failure streak (an unchanged poll writes nothing). */
  lastSuccessAt?: string;
  /** When the current failure streak began: a feed failing this long is unhealthy. */
  failingSince?: string;
  /** Hash of the items last stored: the same items served again (200 without validators) change nothing. */
  contentHash?: string;
  lastError?: string;
  status: FeedStatus;
}

export function initialFeedState(feed: Pick<FeedConfig, "id" | "url">): FeedState {
  return {
    feedId: feed.id,
    url: feed.url,
    configuredUrl: feed.url,
    consecutiveFailures: 0,
    status: "active",
  };
}

export type ReadOutcome =
  | {
      kind: "items";
      items: NewsItem[];
      /** Hash of the normalized items: equal hashes mean the feed served nothing new. */
      contentHash?: string;
      /** Items dropped in normalization (no title and no summary, say). */
      dropped: number;
      bytes: number;
      etag?: string;
      lastModified?: string;
      /** Set when a permanent redirect moved the feed. */
      movedTo?: string;
      /** Set when the document was malformed and read leniently: what was wrong with it. */
      degraded?: { reason: string; message: string };
    }
  | { kind: "not-modified"; etag?: string; lastModified?: string; movedTo?: string }
  | { kind: "gone"; status: number }
  | {
      kind: "failed";
      /** Machine-readable: "timeout", "http-404", "too-large", "not-a-feed", "redirect-loop", ... */
      reason: string;
      message: string;
      /** From Retry-After on 429/503. */
      retryAfterMs?: number;
    };

export interface ReadOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/** How one feed is read: its own overrides over the config's polling settings. */
export function readOptionsFor(
  feed: FeedConfig,
  polling: Pick<AppConfig["polling"], "userAgent" | "timeoutSeconds" | "maxBytes">,
): ReadOptions {
  return {
    userAgent: feed.userAgent ?? polling.userAgent,
    timeoutMs: (feed.timeoutSeconds ?? polling.timeoutSeconds) * 1000,
    maxBytes: polling.maxBytes,
  };
}

/** Fetch → decode → parse → normalize one feed. Never throws for anything the feed did. */
export interface FeedReader {
  read(feed: FeedConfig, state: FeedState, options: ReadOptions): Promise<ReadOutcome>;
}

export interface FeedStateStore {
  getAll(feedIds: string[]): Promise<Map<string, FeedState>>;
  put(state: FeedState): Promise<void>;
}

export interface ItemStore {
  /** The outbox insert: true when the item is new, false when its id was already stored. */
  putIfNew(item: StoredItem, expiresAt: number): Promise<boolean>;
}

export interface StoryStore {
  /** Stories whose event time lies in [from, to] (ISO), newest event first; expired rows (by `now`) left out. */
  aroundEvent(from: string, to: string, now: string): Promise<Story[]>;
  /** Stories first seen in [from, to] (ISO), whatever their event times: a day's digest. */
  firstSeenBetween(from: string, to: string, now: string): Promise<Story[]>;
  /** Creates a story; false when the id exists. */
  create(story: Story, expiresAt: number): Promise<boolean>;
  /** Replaces a story if its version is still `story.version - 1`; false on a lost race. */
  update(story: Story, expiresAt: number): Promise<boolean>;
  get(storyId: string): Promise<Story | undefined>;
}

/**
 * A claim older than this was abandoned by a crashed attempt. A publish with all its retries takes
 * well under it; the notifier waits up to this long for a held claim, so its Lambda timeout is longer.
 */
export const DELIVERY_LEASE_MS = 60_000;

/** The idempotency record of one publish (story × stage × audience), written before the publish. */
export type DeliveryClaim = "claimed" | "already-sent" | "in-progress";

export interface DeliveryLedger {
  /** Claims the right to publish; a claim older than `leaseMs` is treated as abandoned. */
  claim(key: DeliveryKey, now: Date, leaseMs: number): Promise<DeliveryClaim>;
  /** Marks the publish done (conditional on our claim). */
  complete(key: DeliveryKey, now: Date, messageId: string | undefined): Promise<void>;
  /** Gives the claim back after a failed publish so a retry can take it. */
  release(key: DeliveryKey): Promise<void>;
}

/**
 * One publish: a story at one stage for one audience. The audience is the time zone the message
 * renders times in; subscribers are routed to theirs by filter policy.
 */
export interface DeliveryKey {
  storyId: string;
  stage: string;
  audience: string;
}

/** SNS message attributes; subscription filter policies select on them (see domain/subscriptions.ts). */
export interface AlertAttributes {
  /** "alert" for immediate messages, "digest" for the daily email. */
  kind: "alert" | "digest";
  /** "new" | "escalated" | "confirmed" for alerts; "digest" for the digest. */
  stage: string;
  /**
   * Confirmation level the message carries: for "new"/"escalated" the story's current level
   * (outlet count, or MAX_LEVEL when an official source reported it); for "confirmed" the exact
   * threshold just reached.
   */
  level: number;
  severity: string;
  entities: string[];
  language: string;
  feed: string;
  /** Time zone the message was rendered for (see DeliveryKey). */
  audience: string;
}

/** One rendered alert: what SNS receives with MessageStructure=json. */
export interface Alert {
  /** Unique per story × stage; used as the batch entry id and the idempotency key. */
  key: DeliveryKey;
  subject: string;
  email: string;
  sms: string;
  /** Fallback body for any other protocol. */
  default: string;
  attributes: AlertAttributes;
  /** Article URLs the alert covers. */
  links: string[];
}

export type PublishResult =
  | { ok: true; messageId?: string }
  | { ok: false; error: string; retryable: boolean };

export interface AlertPublisher {
  /** Publishes each alert once; results are in the same order. Never throws for per-alert failures. */
  publish(alerts: Alert[]): Promise<PublishResult[]>;
}

export type { FeedConfig, SubscriberConfig };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The narrow logger every use case takes; Powertools Logger satisfies it, tests pass a plain object. */
export interface Log {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** The lease columns of a feed's state row: who polls it now, and when it was last taken. */
export interface FeedLeaseStore {
  /** State and lease columns of each feed that has a row (the dispatcher plans with them). */
  schedules(feedIds: string[]): Promise<Map<string, FeedSchedule>>;
  /**
   * Takes the feed for `leaseMs` if nobody holds it (a conditional write): one poll of a feed at a
   * time. Returns the lease to give back, or undefined when another worker holds it.
   */
  acquire(feedId: string, now: Date, leaseMs: number): Promise<FeedLease | undefined>;
  /** Gives back a lease that was not used (the feed was not polled); restores its last poll time. */
  release(lease: FeedLease): Promise<void>;
}

export interface FeedLease {
  feedId: string;
  leaseUntil: number;
  /** The poll time before this lease, restored on release so the feed keeps its place in line. */
  previousPolledAt?: string;
}

/** Where the dispatcher puts the poll batches (SQS in AWS, an in-process queue in tests). */
export interface PollQueue {
  send(batches: PollBatch[]): Promise<void>;
}
