const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "30s", "5m", "5 minutes", "1 hour" → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)\s*$/i.exec(
    text,
  );
  if (!match) return undefined;
  const unit = (match[2] ?? "s").toLowerCase()[0] as string;
  const seconds = Number(match[1]) * (UNIT_SECONDS[unit] ?? 1);
  return seconds > 0 ? Math.round(seconds * 1000) : undefined;
}
