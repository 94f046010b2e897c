// When a development happened, as far as one report can tell: the single time that story windows
// and the age limit compare. Pure; ISO 8601 UTC strings at every boundary.

/**
 * A publication date up to this far after the poller first saw the item is a feed clock running a
 * little fast, not a claim about the future (normalize already drops dates far in the future).
 */
export const FUTURE_SKEW_MS = 15 * 60_000;

/**
 * No feed could have carried an item before syndication formats existed (RSS 0.90, March 1999):
 * an earlier date is a placeholder ("1970-01-01", "0001-01-01"), not when anything happened.
 */
export const EARLIEST_FEED_DATE_MS = Date.UTC(1999, 2, 15);

const HOUR_MS = 3_600_000;

export interface Dated {
  /** The feed's publication time, when it gave one. */
  published?: string;
  /** When the poller first saw the item. */
  seenAt: string;
}

/** The published time when plausible (not in the future, not before feeds existed), else first seen. */
export function eventTime(item: Dated): string {
  const seen = Date.parse(item.seenAt);
  const published = item.published === undefined ? Number.NaN : Date.parse(item.published);
  const plausible =
    Number.isFinite(published) &&
    published >= EARLIEST_FEED_DATE_MS &&
    (!Number.isFinite(seen) || published <= seen + FUTURE_SKEW_MS);
  return new Date(plausible ? published : seen).toISOString();
}

/** Whole hours between the event and the first sight of its report (0 for a fast feed's clock). */
export function ageAtFirstSightHours(item: Dated): number {
  const age = Date.parse(item.seenAt) - Date.parse(eventTime(item));
  return Math.max(0, Math.floor(age / HOUR_MS));
}

/** A report first seen more than `maxAgeHours` after its event is recorded but rings nobody. */
export function isStale(item: Dated, maxAgeHours: number): boolean {
  return Date.parse(item.seenAt) - Date.parse(eventTime(item)) > maxAgeHours * HOUR_MS;
}

/** How far apart two event times are, in hours. */
export function hoursBetween(a: string, b: string): number {
  return Math.abs(Date.parse(a) - Date.parse(b)) / HOUR_MS;
}
