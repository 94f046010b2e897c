import type { AppConfig } from "#shared/config/schema.ts";
import { storyVocabulary } from "#shared/domain/story.ts";
import { audiences, confirmationThresholds } from "#shared/domain/subscriptions.ts";
import { resolveWatchList } from "#shared/domain/watchlist/index.ts";
import { DELIVERY_LEASE_MS } from "#shared/ports.ts";
import type { NotifySettings } from "./notify-subscribers.ts";

export function notifySettingsFrom(config: AppConfig): NotifySettings {
  const immediate = config.subscribers.filter((s) => s.mode !== "digest");
  const document = resolveWatchList(config.watchlist);
  return {
    vocabulary: storyVocabulary(document),
    story: document.story,
    windowHours: config.stories.windowHours,
    maxAgeHours: config.alerts.maxAgeHours,
    retentionDays: config.retentionDays,
    thresholds: confirmationThresholds(immediate),
    audiences: audiences(immediate),
    leaseMs: DELIVERY_LEASE_MS,
  };
}
