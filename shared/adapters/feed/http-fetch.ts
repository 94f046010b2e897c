// The polite, bounded HTTP GET of one feed: conditional headers, redirects followed by hand, one
// deadline for headers *and* body, and a cap on the decoded body enforced while streaming (so a
// gzip bomb or a 60 MB page costs at most the cap in memory). Every hop must pass the address
// policy (address-policy.ts): its URL before connecting, its DNS answers as the socket connects.
import { Agent, fetch as undiciFetch } from "undici";
import {
  ADDRESS_REFUSED,
  type AddressPolicy,
  defaultAddressPolicy,
  guardedLookup,
  type LookupFunction,
  urlRefusal,
} from "./address-policy.ts";

export interface FetchFeedRequest {
  url: string;
  etag?: string;
  lastModified?: string;
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  signal?: AbortSignal;
}

export type FetchFeedResult =
  | {
      kind: "body";
      status: number;
      body: Uint8Array;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      finalUrl: string;
      movedTo?: string;
    }
  | { kind: "not-modified"; etag?: string; lastModified?: string; movedTo?: string }
  | { kind: "gone"; status: number }
  | { kind: "failed"; reason: string; message: string; retryAfterMs?: number };

export interface HttpFetchDeps {
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
  /** Which addresses may be reached. @default defaultAddressPolicy(): public-only in Lambda */
  addressPolicy?: AddressPolicy;
  /** The resolver behind the guarded lookup (tests map names to addresses). @default dns.lookup */
  resolveHost?: LookupFunction;
}

export const DEFAULT_MAX_REDIRECTS = 5;

const ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, " +
  "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

const PERMANENT_REDIRECTS = new Set([301, 308]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class BodyTooLarge extends Error {}

export async function fetchFeed(
  request: FetchFeedRequest,
  deps: HttpFetchDeps = {},
): Promise<FetchFeedResult> {
  const policy = deps.addressPolicy ?? defaultAddressPolicy();
  const dispatcher = dispatcherFor(policy, deps.resolveHost);
  // undici's own fetch, so the dispatcher (and its guarded lookup) is the one that connects.
  const fetchImpl = deps.fetch ?? (undiciFetch as unknown as typeof globalThis.fetch);
  const now = deps.now ?? (() => new Date());
  const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;

  let url = request.url;
  const visited = new Set<string>([url]);
  // Only an unbroken chain of permanent redirects from the stored URL moves the feed: after a
  // temporary hop, whatever follows is not where the feed permanently lives.
  let permanentTarget: string | undefined;
  let chainStillPermanent = true;

  try {
    for (let hop = 0; ; hop++) {
      const refused = urlRefusal(url, policy);
      if (refused) return failed("address-refused", refused);
      // `dispatcher` is undici's extension of RequestInit (the global type knows it by another Agent).
      const init: RequestInit = Object.assign(
        { method: "GET", redirect: "manual", signal, headers: requestHeaders(request) } as RequestInit,
        { dispatcher },
      );
      const response = await fetchImpl(url, init).catch((error: unknown) => {
        // A kept-alive connection the server closed just as we reused it fails with a reset before
        // any byte of response; one fresh attempt is what browsers do for an idempotent GET.
        if (signal.aborted || !isConnectionReset(error)) throw error;
        return fetchImpl(url, init);
      });

      if (REDIRECTS.has(response.status)) {
        await discard(response);
        const location = response.headers.get("location");
        const next = location ? resolveHttpUrl(location, url) : undefined;
        if (!next) {
          return failed(
            "bad-redirect",
            `HTTP ${response.status} from ${url} without a usable http(s) Location`,
          );
        }
        if (visited.has(next))
          return failed("redirect-loop", `Redirect loop: ${url} → ${next} was already visited`);
        if (hop + 1 > maxRedirects)
          return failed("too-many-redirects", `More than ${maxRedirects} redirects from ${request.url}`);
        visited.add(next);
        if (chainStillPermanent && PERMANENT_REDIRECTS.has(response.status)) permanentTarget = next;
        else chainStillPermanent = false;
        url = next;
        continue;
      }

      const movedTo = permanentTarget;
      const etag = response.headers.get("etag") ?? undefined;
      const lastModified = response.headers.get("last-modified") ?? undefined;

      if (response.status === 304) {
        await discard(response);
        return {
          kind: "not-modified",
          etag: etag ?? request.etag,
          lastModified: lastModified ?? request.lastModified,
          ...(movedTo ? { movedTo } : {}),
        };
      }
      if (response.status === 410) {
        await discard(response);
        return { kind: "gone", status: 410 };
      }
      if (response.status < 200 || response.status > 299) {
        await discard(response);
        const retryAfterMs =
          response.status === 429 || response.status === 503
            ? parseRetryAfter(response.headers.get("retry-after"), now())
            : undefined;
        return failed(
          `http-${response.status}`,
          `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} from ${url}`,
          retryAfterMs,
        );
      }

      const declaredLength = Number(response.headers.get("content-length"));
      const compressed = (response.headers.get("content-encoding") ?? "identity") !== "identity";
      if (!compressed && Number.isFinite(declaredLength) && declaredLength > request.maxBytes) {
        await discard(response);
        return failed("too-large", `Body of ${declaredLength} bytes exceeds the cap of ${request.maxBytes}`);
      }
      const body = await readCapped(response, request.maxBytes);
      return {
        kind: "body",
        status: response.status,
        body,
        contentType: response.headers.get("content-type") ?? undefined,
        etag,
        lastModified,
        finalUrl: url,
        ...(movedTo ? { movedTo } : {}),
      };
    }
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      return failed("too-large", `Decoded body exceeds the cap of ${request.maxBytes} bytes`);
    }
    if (deadline.aborted) return failed("timeout", `No complete response within ${request.timeoutMs} ms`);
    if (request.signal?.aborted) return failed("aborted", "The poll was cancelled");
    return networkFailure(error, url);
  }
}

function requestHeaders(request: FetchFeedRequest): Record<string, string> {
  const headers: Record<string, string> = { "user-agent": request.userAgent, accept: ACCEPT };
  if (request.etag) headers["if-none-match"] = request.etag;
  if (request.lastModified) headers["if-modified-since"] = request.lastModified;
  return headers;
}

/** Reads the (already decompressed) body, giving up as soon as it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

function resolveHttpUrl(location: string, base: string): string | undefined {
  try {
    const url = new URL(location, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date; undefined when unusable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

const NETWORK_REASONS: Record<string, string> = {
  [ADDRESS_REFUSED]: "address-refused",
  ECONNREFUSED: "connection-refused",
  ECONNRESET: "connection-reset",
  EPIPE: "connection-reset",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  ETIMEDOUT: "timeout",
  UND_ERR_CONNECT_TIMEOUT: "timeout",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
  UND_ERR_SOCKET: "connection-reset",
  CERT_HAS_EXPIRED: "tls",
  DEPTH_ZERO_SELF_SIGNED_CERT: "tls",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "tls",
  ERR_TLS_CERT_ALTNAME_INVALID: "tls",
};

function isConnectionReset(error: unknown): boolean {
  const code = errorCause(error).code;
  return code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE";
}

function networkFailure(error: unknown, url: string): FetchFeedResult {
  const cause = errorCause(error);
  const code = cause.code ?? "";
  // fetch refuses ports the Fetch standard blocks (25, 6000, …) before connecting.
  const reason = NETWORK_REASONS[code] ?? (cause.message === "bad port" ? "blocked-port" : "network");
  const detail = cause.message || (error instanceof Error ? error.message : String(error));
  return failed(reason, `${url}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ""}`);
}

/** undici wraps the socket error in `TypeError("fetch failed", { cause })`; dig the code out. */
function errorCause(error: unknown): { code?: string; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof candidate.code === "string") {
      return { code: candidate.code, message: String(candidate.message ?? "") };
    }
    if (Array.isArray(candidate.errors) && candidate.errors.length > 0) current = candidate.errors[0];
    else current = candidate.cause;
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

function failed(reason: string, message: string, retryAfterMs?: number): FetchFeedResult {
  return { kind: "failed", reason, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** One connection pool per policy, reused across feeds; a test's own resolver gets its own. */
const dispatchers = new Map<AddressPolicy, Agent>();

function dispatcherFor(policy: AddressPolicy, resolveHost?: LookupFunction): Agent {
  if (resolveHost) return new Agent({ connect: { lookup: guardedLookup(policy, resolveHost) } });
  let agent = dispatchers.get(policy);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(policy) } });
    dispatchers.set(policy, agent);
  }
  return agent;
}
