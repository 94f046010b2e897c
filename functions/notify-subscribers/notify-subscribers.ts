// Use case: a matched item arrived (stream INSERT) → place it in a story → publish what the story step
// calls for, exactly once per story, stage and audience → mark the item processed.
import { setTimeout as wait } from "node:timers/promises";
import type { ItemLedger } from "#shared/adapters/dynamodb/item-store.ts";
import { eventTime } from "#shared/domain/event-time.ts";
import { renderAlert } from "#shared/domain/format.ts";
import { placeInStory, type StoryVocabulary } from "#shared/domain/story.ts";
import type { StoredItem, Story, StoryPublish } from "#shared/domain/types.ts";
import type { StoryMeta } from "#shared/domain/watchlist/index.ts";
import type {
  Alert,
  AlertPublisher,
  Clock,
  DeliveryKey,
  DeliveryLedger,
  Log,
  StoryStore,
} from "#shared/ports.ts";

export interface NotifyDependencies {
  stories: StoryStore;
  items: ItemLedger;
  ledger: DeliveryLedger;
  publisher: AlertPublisher;
  clock: Clock;
  log: Log;
  /** Waits while another attempt holds a claim; tests pass one that moves their clock instead. */
  sleep?: (ms: number) => Promise<void>;
}

export interface NotifySettings {
  /** The watch-list document's story vocabulary (grouping) and how alerts name the story. */
  vocabulary: StoryVocabulary;
  story: StoryMeta;
  windowHours: number;
  /** Reports older than this when first seen are recorded, not alerted (config alerts.maxAgeHours). */
  maxAgeHours: number;
  retentionDays: number;
  /** Confirmation thresholds some subscriber waits for (minOutlets > 1). */
  thresholds: number[];
  /** Time zones to render for: one publish per story step and zone. */
  audiences: string[];
  /** How long a claim protects an in-flight publish before a retry may take it over. */
  leaseMs: number;
}

export interface NotifyResult {
  itemId: string;
  storyId?: string;
  /** "already-processed" on a replay, "joined" / "opened" otherwise. */
  outcome: "already-processed" | "opened" | "joined" | "unchanged";
  sent: Alert[];
}

/** Thrown to make the stream record fail and be retried; nothing was lost or marked. */
export class RetryLaterError extends Error {
  override name = "RetryLaterError";
}

const MAX_PLACEMENT_ATTEMPTS = 6;
const LEASE_MARGIN_MS = 5_000;

export async function notifyItem(
  item: StoredItem,
  deps: NotifyDependencies,
  settings: NotifySettings,
): Promise<NotifyResult> {
  // The replay check and the first read of nearby stories go out together (one round trip instead
  // of two per item); a replay drops the read.
  const firstRead = recentStories(item, deps, settings);
  firstRead.catch(() => undefined);
  if (await deps.items.isProcessed(item.id)) {
    return { itemId: item.id, outcome: "already-processed", sent: [] };
  }
  const { story, outcome } = await placeDurably(item, deps, settings, await firstRead);
  const sent = await deliverPending(story, deps, settings);
  // Marked only after every publish the story calls for is in the ledger as sent: a crash before
  // this line replays the record, and the ledger makes the replay send nothing twice.
  await deps.items.markProcessed(item.id, story.id, deps.clock.now().toISOString());
  return { itemId: item.id, storyId: story.id, outcome, sent };
}

/** The stories a report may join: those whose event lies within the window of its own. */
function recentStories(
  item: StoredItem,
  deps: NotifyDependencies,
  settings: NotifySettings,
): Promise<Story[]> {
  const at = Date.parse(eventTime(item));
  const windowMs = settings.windowHours * 3_600_000;
  return deps.stories.aroundEvent(
    new Date(at - windowMs).toISOString(),
    new Date(at + windowMs).toISOString(),
    deps.clock.now().toISOString(),
  );
}

async function placeDurably(
  item: StoredItem,
  deps: NotifyDependencies,
  settings: NotifySettings,
  firstRead: Story[],
): Promise<{ story: Story; outcome: NotifyResult["outcome"] }> {
  for (let attempt = 1; attempt <= MAX_PLACEMENT_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    // After a write conflict, read again: another notifier changed the stories since.
    const recent = attempt === 1 ? firstRead : await recentStories(item, deps, settings);
    const decision = placeInStory(item, recent, {
      windowHours: settings.windowHours,
      maxAgeHours: settings.maxAgeHours,
      now,
      thresholds: settings.thresholds,
      vocabulary: settings.vocabulary,
    });
    const before = recent.find((s) => s.id === decision.story.id);
    const story: Story = {
      ...decision.story,
      publishes: mergePublishes(before?.publishes, decision.publishes),
    };
    if (!decision.created && !decision.changed) return { story, outcome: "unchanged" };

    const expiresAt = Math.floor(now.getTime() / 1000) + settings.retentionDays * 86_400;
    const written = decision.created
      ? await deps.stories.create(story, expiresAt)
      : await deps.stories.update(story, expiresAt);
    if (written) return { story, outcome: decision.created ? "opened" : "joined" };
    // Another notifier changed the story (or a crashed attempt created it) since we read it: read again.
    deps.log.debug("story write conflict, retrying", { itemId: item.id, storyId: story.id, attempt });
  }
  throw new RetryLaterError(
    `Could not place item ${item.id} in a story after ${MAX_PLACEMENT_ATTEMPTS} attempts`,
  );
}

function mergePublishes(previous: StoryPublish[] = [], added: StoryPublish[] = []): StoryPublish[] {
  const byKey = new Map(previous.map((p) => [p.key, p]));
  for (const p of added) if (!byKey.has(p.key)) byKey.set(p.key, p);
  return [...byKey.values()];
}

/** Publishes every story step not yet in the ledger as sent, for every audience. */
async function deliverPending(
  story: Story,
  deps: NotifyDependencies,
  settings: NotifySettings,
): Promise<Alert[]> {
  const sleep = deps.sleep ?? ((ms: number) => wait(ms));
  const publishes = new Map((story.publishes ?? []).map((p) => [p.key, p]));
  let pending: DeliveryKey[] = [...publishes.keys()].flatMap((stage) =>
    settings.audiences.map((audience) => ({ storyId: story.id, stage, audience })),
  );
  const sent: Alert[] = [];
  const failures: string[] = [];
  // A claim held by another attempt is either being published right now (a concurrent notifier on
  // the same story) or was abandoned by a crash; either way it resolves within the lease, so wait
  // for it here rather than fail fast and burn the stream's retries.
  const waitLimit = settings.leaseMs + LEASE_MARGIN_MS;
  const step = Math.max(50, Math.min(5_000, Math.floor(settings.leaseMs / 6)));
  for (let waited = 0; ; waited += step) {
    const now = deps.clock.now();
    const claims = await Promise.all(pending.map((key) => deps.ledger.claim(key, now, settings.leaseMs)));
    const claimed = pending.filter((_, i) => claims[i] === "claimed");
    pending = pending.filter((_, i) => claims[i] === "in-progress");
    if (claimed.length > 0) {
      const alerts = claimed.map((key) =>
        renderAlert(story, publishes.get(key.stage) as StoryPublish, key.audience, settings.story),
      );
      const results = await deps.publisher.publish(alerts);
      await Promise.all(
        alerts.map(async (alert, i) => {
          const result = results[i];
          if (result?.ok) {
            await deps.ledger.complete(alert.key, deps.clock.now(), result.messageId);
            sent.push(alert);
            deps.log.info("alert published", {
              storyId: story.id,
              stage: alert.key.stage,
              audience: alert.key.audience,
            });
          } else {
            await deps.ledger.release(alert.key);
            failures.push(`${alert.key.stage}/${alert.key.audience}: ${result ? result.error : "no result"}`);
          }
        }),
      );
    }
    if (pending.length === 0 || waited >= waitLimit) break;
    await sleep(step);
  }
  if (failures.length > 0 || pending.length > 0) {
    throw new RetryLaterError(
      `Story ${story.id}: ${failures.length} publish(es) failed, ${pending.length} held by another attempt` +
        (failures.length ? ` (${failures.join("; ")})` : ""),
    );
  }
  return sent;
}
