// The one config format, read by the deploy (infra/) and by the local run alike.
import * as z from "zod";
import { parseDuration } from "../domain/duration.ts";
import { issueLines } from "../domain/validation.ts";
import { WatchListConfigSchema } from "../domain/watchlist/schema.ts";

export { WatchListConfigSchema };

/** Default of `stories.windowHours`: see the field. */
export const DEFAULT_STORY_WINDOW_HOURS = 36;
/** Default of `polling.workers`: 10 workers poll 5,000 feeds every 5 minutes (README "Scale"). */
export const DEFAULT_POLL_WORKERS = 10;
/** Default of `alerts.maxAgeHours`: see the field. */
export const DEFAULT_MAX_AGE_HOURS = 48;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "use letters, digits, '-', '_' or '.'");

/** Text shown to subscribers (an outlet's name): no control, bidi or zero-width characters. */
const displayText = z
  .string()
  .min(1)
  .max(100)
  .refine((text) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(text), "no control, bidi or zero-width characters");

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "feed URLs must be http(s)");

export const FeedConfigSchema = z
  .object({
    id,
    url: httpUrl,
    /** Shown to subscribers as the outlet's name. */
    name: displayText.optional(),
    /** Language the feed usually writes in; items may override it. */
    language: z.string().min(2).max(8).optional(),
    /** An official source confirms a story on its own (confirmation-aware routing). */
    official: z.boolean().default(false),
    timeoutSeconds: z.number().positive().max(60).optional(),
    userAgent: z.string().min(1).max(300).optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

export const SubscriberConfigSchema = z
  .object({
    id,
    protocol: z.enum(["email", "sms"]),
    endpoint: z.string().min(3).max(320),
    /** Lowest severity this subscriber wants immediately. */
    minSeverity: z.enum(["normal", "high"]).default("normal"),
    /** Entity ids or sides ("russia", "dprk", "topic"); empty means all. */
    entities: z.array(z.string().min(1)).default([]),
    /** Language tags; empty means all. */
    languages: z.array(z.string().min(2).max(8)).default([]),
    mode: z.enum(["immediate", "digest", "both"]).default("immediate"),
    /** Wait until this many independent outlets (or one official source) report a story. */
    minOutlets: z.number().int().min(1).max(20).default(1),
    timeZone: z.string().default("UTC"),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ok =
      s.protocol === "email"
        ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.endpoint)
        : /^\+[1-9]\d{6,14}$/.test(s.endpoint);
    if (!ok) {
      ctx.addIssue({
        code: "custom",
        path: ["endpoint"],
        message:
          s.protocol === "email"
            ? "not an email address"
            : "SMS endpoints are E.164 numbers like +15551234567",
      });
    }
    if (!isTimeZone(s.timeZone)) {
      ctx.addIssue({ code: "custom", path: ["timeZone"], message: `unknown time zone "${s.timeZone}"` });
    }
  });

export const AppConfigSchema = z
  .object({
    feeds: z.array(FeedConfigSchema).min(1, "list at least one feed"),
    subscribers: z.array(SubscriberConfigSchema).default([]),
    polling: z
      .object({
        /** EventBridge Scheduler rate, e.g. "5 minutes" (at least one minute). */
        every: z
          .string()
          .default("5 minutes")
          .refine(
            (text) => (parseDuration(text) ?? 0) >= 60_000,
            'a duration of at least 1 minute, e.g. "5 minutes"',
          ),
        userAgent: z.string().min(1).max(300).default("pact-watch/0.1 (+https://github.com/pact-watch)"),
        timeoutSeconds: z.number().positive().max(60).default(15),
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(5 * 1024 * 1024),
        concurrency: z.number().int().min(1).max(64).default(8),
        /**
         * Deployed poll workers running at once (the queue's event source maxConcurrency; Lambda
         * allows 2 to 1000). Each polls one host's batch at a time.
         */
        workers: z.number().int().min(2).max(1000).default(DEFAULT_POLL_WORKERS),
        /** Stop starting new feeds after this long; the rest waits for the next run. */
        deadlineSeconds: z.number().int().min(5).max(840).default(240),
      })
      .strict()
      // Absent: every field's own default above.
      .prefault({}),
    stories: z
      .object({
        /**
         * Reports join a story only when their event times lie within this many hours of the
         * story's. Outlets tell one development within about a day (a three-day visit's reports
         * span up to ~31 h, KCNA reports the next morning); a wider window lets neighbouring
         * developments of the same actors meet.
         */
        windowHours: z
          .number()
          .positive()
          .max(24 * 14)
          .default(DEFAULT_STORY_WINDOW_HOURS),
      })
      .strict()
      .default({ windowHours: DEFAULT_STORY_WINDOW_HOURS }),
    alerts: z
      .object({
        /**
         * A report whose event happened longer ago than this when it was first seen is recorded
         * (digest, history) but sends no alert: adding a feed never floods anyone with its
         * archive. Two days cover a weekend's slow feeds; a large value makes a backtest.
         */
        maxAgeHours: z.number().positive().default(DEFAULT_MAX_AGE_HOURS),
      })
      .strict()
      .default({ maxAgeHours: DEFAULT_MAX_AGE_HOURS }),
    digest: z
      .object({
        hour: z.number().int().min(0).max(23).default(7),
        timeZone: z.string().default("UTC"),
      })
      .strict()
      .default({ hour: 7, timeZone: "UTC" }),
    /** Days a stored item or story is kept before DynamoDB's TTL removes it. */
    retentionDays: z.number().int().min(3).max(3650).default(30),
    /** Extends or replaces the bundled watch list (the matcher's entities and aliases). */
    watchlist: WatchListConfigSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const [key, list] of [
      ["feeds", c.feeds],
      ["subscribers", c.subscribers],
    ] as const) {
      const seen = new Set<string>();
      list.forEach((entry, i) => {
        if (seen.has(entry.id))
          ctx.addIssue({ code: "custom", path: [key, i, "id"], message: `duplicate id "${entry.id}"` });
        seen.add(entry.id);
      });
    }
  });

export type AppConfig = z.infer<typeof AppConfigSchema>;
export type FeedConfig = z.infer<typeof FeedConfigSchema>;
export type SubscriberConfig = z.infer<typeof SubscriberConfigSchema>;
export type { WatchListConfig, WatchListEntityConfig } from "../domain/watchlist/schema.ts";

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(`${message}\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates parsed JSON; throws ConfigError listing every problem with its path. */
export function parseConfig(raw: unknown, source = "config"): AppConfig {
  const result = AppConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(`Invalid ${source}:`, issueLines(result.error));
}
