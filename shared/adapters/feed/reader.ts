// Secondary adapter: the FeedReader port over HTTP. fetch → decode → parse → normalize, and every
// way a feed can misbehave mapped to a ReadOutcome instead of an exception.
import { createHash } from "node:crypto";
import { normalizeFeed } from "#shared/domain/normalize.ts";
import type { FeedConfig, FeedReader, FeedState, ReadOptions, ReadOutcome } from "#shared/ports.ts";
import { decodeBody } from "./decode.ts";
import { fetchFeed, type HttpFetchDeps } from "./http-fetch.ts";
import { parseFeed } from "./parse.ts";

export type FeedReaderDeps = HttpFetchDeps;

/**
 * How far past the fetch an item's date may lie: a zone written wrongly (±14 h) or a clock running
 * ahead is still a real date; anything later is a typo or a scheduled post.
 */
const FUTURE_DATE_TOLERANCE_MS = 2 * 24 * 60 * 60 * 1000;

export const DEFAULT_READ_OPTIONS: ReadOptions = {
  userAgent: "pact-watch/0.1 (+https://github.com/pact-watch)",
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
};

export function createFeedReader(deps: FeedReaderDeps = {}): FeedReader {
  return {
    async read(feed: FeedConfig, state: FeedState, options: ReadOptions): Promise<ReadOutcome> {
      try {
        return await readFeed(feed, state, { ...DEFAULT_READ_OPTIONS, ...options }, deps);
      } catch (error) {
        // Everything a feed can do is mapped above; reaching this is our bug, still per feed.
        return {
          kind: "failed",
          reason: "internal-error",
          message: error instanceof Error ? error.message : String(error),
        };
      }
    },
  };
}

async function readFeed(
  feed: FeedConfig,
  state: FeedState,
  options: ReadOptions,
  deps: FeedReaderDeps,
): Promise<ReadOutcome> {
  const fetched = await fetchFeed(
    {
      url: state.url || feed.url,
      etag: state.etag,
      lastModified: state.lastModified,
      userAgent: options.userAgent,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      signal: options.signal,
    },
    deps,
  );
  if (fetched.kind !== "body") return fetched;

  const decoded = decodeBody(fetched.body, fetched.contentType);
  const parsed = await parseFeed(decoded.text, fetched.contentType);
  if (!parsed.ok) return { kind: "failed", reason: parsed.reason, message: parsed.message };

  const { items, dropped } = normalizeFeed(parsed.feed, {
    feedId: feed.id,
    feedUrl: fetched.finalUrl,
    configuredLanguage: feed.language,
    notAfter: new Date((deps.now?.() ?? new Date()).getTime() + FUTURE_DATE_TOLERANCE_MS).toISOString(),
  });
  return {
    kind: "items",
    items,
    contentHash: createHash("sha256").update(JSON.stringify(items)).digest("base64url"),
    dropped,
    bytes: fetched.body.byteLength,
    ...(fetched.etag ? { etag: fetched.etag } : {}),
    ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}),
    ...(fetched.movedTo ? { movedTo: fetched.movedTo } : {}),
    ...(parsed.degraded ? { degraded: parsed.degraded } : {}),
  };
}
