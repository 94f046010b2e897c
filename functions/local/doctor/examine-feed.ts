// The feed doctor's one job: read a feed exactly as the poller does (createFeedReader().read():
// fetch → decode → parse → normalize) and match every item with the configured watch list, then
// say what happened on the way (HTTP status, charset and why, format) from the same fetch → decode
// → parse steps run once more, since a read outcome does not carry them.
import { decodeBody } from "#shared/adapters/feed/decode.ts";
import { fetchFeed, type HttpFetchDeps } from "#shared/adapters/feed/http-fetch.ts";
import { parseFeed } from "#shared/adapters/feed/parse.ts";
import type { FeedConfig } from "#shared/config/schema.ts";
import type { Matcher, MatchResult, NewsItem } from "#shared/domain/types.ts";
import { type FeedReader, initialFeedState, type ReadOptions } from "#shared/ports.ts";

/** One item as the doctor reports it: the normalized fields and the matcher's verdict. */
export interface DoctorItem {
  id: string;
  title: string;
  summary: string;
  link: string | null;
  /** ISO 8601 (UTC), or null when the feed gave no usable date. */
  published: string | null;
  language: string;
  match: {
    relevant: boolean;
    rule: string;
    entities: string[];
    severity: MatchResult["severity"];
    /** The evidence sentence when relevant, else why not. */
    reason: string;
  };
}

/** One line of `npm run feed -- --json`: the contract the conformance suite reads. */
export interface DoctorRecord {
  url: string;
  status: number | null;
  charset: { name: string; source: string } | null;
  format: string | null;
  items: DoctorItem[];
  dropped: number;
  error: { reason: string; message: string } | null;
  /** Read despite a problem (malformed XML read leniently): what was wrong. */
  degraded: { reason: string; message: string } | null;
}

export interface DoctorDeps {
  reader: FeedReader;
  matcher: Matcher;
  /** The same policy and resolver the reader was built with. */
  fetchDeps: HttpFetchDeps;
}

/** A feed by URL alone, or as configured (language, user agent, timeout). */
export function examineFeed(feed: FeedConfig, options: ReadOptions, deps: DoctorDeps): Promise<DoctorRecord> {
  return Promise.all([readAsPoller(feed, options, deps), describeTransport(feed.url, options, deps)]).then(
    ([read, transport]) => ({ url: feed.url, ...transport, ...read }),
  );
}

async function readAsPoller(
  feed: FeedConfig,
  options: ReadOptions,
  deps: DoctorDeps,
): Promise<Pick<DoctorRecord, "items" | "dropped" | "error" | "degraded">> {
  const outcome = await deps.reader.read(feed, initialFeedState(feed), options);
  switch (outcome.kind) {
    case "items":
      return {
        items: outcome.items.map((item) => doctorItem(item, deps.matcher.match(item))),
        dropped: outcome.dropped,
        error: null,
        degraded: outcome.degraded ?? null,
      };
    case "failed":
      return {
        items: [],
        dropped: 0,
        error: { reason: outcome.reason, message: outcome.message },
        degraded: null,
      };
    case "gone":
      return {
        items: [],
        dropped: 0,
        error: { reason: "gone", message: `HTTP ${outcome.status}: the feed was removed` },
        degraded: null,
      };
    case "not-modified":
      return {
        items: [],
        dropped: 0,
        error: { reason: "not-modified", message: "HTTP 304 without a body to read" },
        degraded: null,
      };
  }
}

async function describeTransport(
  url: string,
  options: ReadOptions,
  deps: DoctorDeps,
): Promise<Pick<DoctorRecord, "status" | "charset" | "format">> {
  const none = { status: null, charset: null, format: null };
  try {
    const fetched = await fetchFeed(
      { url, userAgent: options.userAgent, timeoutMs: options.timeoutMs, maxBytes: options.maxBytes },
      deps.fetchDeps,
    );
    if (fetched.kind === "gone") return { ...none, status: fetched.status };
    if (fetched.kind === "not-modified") return { ...none, status: 304 };
    if (fetched.kind !== "body") return none;
    const decoded = decodeBody(fetched.body, fetched.contentType);
    const parsed = await parseFeed(decoded.text, fetched.contentType);
    return {
      status: fetched.status,
      charset: { name: decoded.encoding, source: decoded.source },
      format: parsed.ok ? parsed.format : null,
    };
  } catch {
    // The read above says what went wrong; this part only describes.
    return none;
  }
}

export function doctorItem(item: NewsItem, match: MatchResult): DoctorItem {
  return {
    id: item.id,
    title: item.title,
    summary: item.summary,
    link: item.link ?? null,
    published: item.published ?? null,
    language: item.language,
    match: {
      relevant: match.relevant,
      rule: match.rule,
      entities: match.entities,
      severity: match.severity,
      reason: match.relevant ? match.snippet || match.rule : notRelevantReason(match),
    },
  };
}

function notRelevantReason(match: MatchResult): string {
  const found =
    match.entities.length > 0 ? `found ${match.entities.join(", ")}` : "no watch-list entity found";
  return `${match.rule}: ${found}`;
}
