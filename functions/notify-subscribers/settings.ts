import type { FunctionConfig } from "#shared/config/function-config.ts";
import { audiences, confirmationThresholds, receivesAlerts } from "#shared/domain/subscriptions.ts";
import { DELIVERY_LEASE_MS } from "#shared/ports.ts";
import type { NotifySettings } from "./notify-subscribers.ts";

export function notifySettingsFrom(config: FunctionConfig): NotifySettings {
  const immediate = config.subscribers.filter(receivesAlerts);
  return {
    windowHours: config.stories.windowHours,
    maxAgeHours: config.alerts.maxAgeHours,
    retentionDays: config.retentionDays,
    thresholds: confirmationThresholds(immediate),
    audiences: audiences(immediate),
    leaseMs: DELIVERY_LEASE_MS,
  };
}
