// Use case: once a day, one email per audience with the last day's stories, sent exactly once per day.
import type { AppConfig } from "#shared/config/schema.ts";
import { renderDigest } from "#shared/domain/digest.ts";
import { audiences } from "#shared/domain/subscriptions.ts";
import { resolveWatchList } from "#shared/domain/watchlist/index.ts";
import {
  type AlertPublisher,
  type Clock,
  DELIVERY_LEASE_MS,
  type DeliveryLedger,
  type Log,
  type StoryStore,
} from "#shared/ports.ts";

export interface DigestDependencies {
  stories: StoryStore;
  ledger: DeliveryLedger;
  publisher: AlertPublisher;
  clock: Clock;
  log: Log;
}

export interface DigestSummary {
  day: string;
  stories: number;
  sent: number;
  alreadySent: number;
  failed: number;
}

const DAY_MS = 86_400_000;

export async function sendDigest(config: AppConfig, deps: DigestDependencies): Promise<DigestSummary> {
  const now = deps.clock.now();
  const day = localDay(now, config.digest.timeZone);
  // How the digest names the story: the configured watch-list document's name and tag.
  const story = resolveWatchList(config.watchlist).story;
  const readers = config.subscribers.filter((s) => s.mode !== "immediate" && s.protocol === "email");
  const summary: DigestSummary = { day, stories: 0, sent: 0, alreadySent: 0, failed: 0 };
  if (readers.length === 0) return summary;

  const stories = await deps.stories.firstSeenBetween(
    new Date(now.getTime() - DAY_MS).toISOString(),
    now.toISOString(),
    now.toISOString(),
  );
  summary.stories = stories.length;
  for (const audience of audiences(readers)) {
    const alert = renderDigest(stories, day, audience, story);
    if (!alert) continue;
    const claim = await deps.ledger.claim(alert.key, now, DELIVERY_LEASE_MS);
    if (claim !== "claimed") {
      summary.alreadySent++;
      continue;
    }
    const [result] = await deps.publisher.publish([alert]);
    if (result?.ok) {
      await deps.ledger.complete(alert.key, deps.clock.now(), result.messageId);
      summary.sent++;
    } else {
      await deps.ledger.release(alert.key);
      summary.failed++;
      deps.log.error("digest publish failed", { day, audience, error: result?.error });
    }
  }
  return summary;
}

/** The calendar day (YYYY-MM-DD) in a time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}
