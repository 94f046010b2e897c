import type { AppConfig } from "#shared/config/schema.ts";
import { audiences, confirmationThresholds } from "#shared/domain/subscriptions.ts";
import { DELIVERY_LEASE_MS } from "#shared/ports.ts";
import type { NotifySettings } from "./notify-subscribers.ts";

export function notifySettingsFrom(config: AppConfig): NotifySettings {
  const immediate = config.subscribers.filter((s) => s.mode !== "digest");
  return {
    windowHours: config.stories.windowHours,
    maxAgeHours: config.alerts.maxAgeHours,
    retentionDays: config.retentionDays,
    thresholds: confirmationThresholds(immediate),
    audiences: audiences(immediate),
    leaseMs: DELIVERY_LEASE_MS,
  };
}
