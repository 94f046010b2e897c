import type { AppConfig } from "#shared/config/schema.ts";
import { audiences, confirmationThresholds } from "#shared/domain/subscriptions.ts";
import type { NotifySettings } from "./notify-subscribers.ts";

/**
 * A claim older than this was abandoned by a crashed attempt. A publish with all its retries takes
 * well under it; the notifier waits up to this long for a held claim, so its Lambda timeout is longer.
 */
export const DELIVERY_LEASE_MS = 60_000;

export function notifySettingsFrom(config: AppConfig): NotifySettings {
  const immediate = config.subscribers.filter((s) => s.mode !== "digest");
  return {
    windowHours: config.stories.windowHours,
    retentionDays: config.retentionDays,
    thresholds: confirmationThresholds(immediate),
    audiences: audiences(immediate),
    leaseMs: DELIVERY_LEASE_MS,
  };
}
