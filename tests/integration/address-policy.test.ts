// The address policy on the real fetch path, against a real server on 127.0.0.1: a literal is
// refused before connecting, a name is refused when it resolves to a refused address (and the
// socket connects to what was checked), and every redirect hop is checked again.
import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AddressPolicy,
  LOOPBACK_ALLOWED,
  type LookupFunction,
  PUBLIC_ONLY,
} from "#shared/adapters/feed/address-policy.ts";
import { type FetchFeedResult, fetchFeed } from "#shared/adapters/feed/http-fetch.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import {
  bytesRoute,
  feedAt,
  type IngestServer,
  startIngestServer,
  TEST_READ_OPTIONS,
} from "../support/ingest-server.ts";

const RSS =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>' +
  "<item><title>Shoigu in Pyongyang</title><link>https://site.test/a</link><guid>g-1</guid></item></channel></rss>";

let server: IngestServer;
let port: number;

/** Names the tests resolve: a "public-looking" name that is really this machine, and an inside one. */
const resolver: LookupFunction = (hostname, _options, callback) => {
  const table: Record<string, string> = { "feeds.pact.test": "127.0.0.1", "inside.pact.test": "10.0.0.7" };
  const address = table[hostname];
  if (!address) return callback(Object.assign(new Error("not found"), { code: "ENOTFOUND" }), []);
  callback(null, [{ address, family: 4 } satisfies LookupAddress]);
};

beforeAll(async () => {
  server = await startIngestServer({
    "/feed": bytesRoute(RSS, { "content-type": "application/rss+xml" }),
    "/to-metadata": (_req, res) =>
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    "/to-private": (_req, res) => res.writeHead(301, { location: "http://10.0.0.7/rss" }).end(),
    "/to-mapped": (_req, res) => res.writeHead(307, { location: "http://[::ffff:a9fe:a9fe]/" }).end(),
    "/to-link-local-v6": (_req, res) => res.writeHead(302, { location: "http://[fe80::1]/rss" }).end(),
    "/to-unique-local-v6": (_req, res) => res.writeHead(308, { location: "http://[fc00::1]/rss" }).end(),
    "/to-inside-name": (_req, res) =>
      res.writeHead(302, { location: `http://inside.pact.test:${port}/feed` }).end(),
    "/to-loopback-name": (_req, res) =>
      res.writeHead(302, { location: `http://feeds.pact.test:${port}/feed` }).end(),
  });
  port = Number(new URL(server.origin).port);
});
afterAll(() => server.close());

function get(url: string, addressPolicy: AddressPolicy): Promise<FetchFeedResult> {
  return fetchFeed(
    { url, userAgent: "pact-watch-test", timeoutMs: 5_000, maxBytes: 1_000_000 },
    { addressPolicy, resolveHost: resolver },
  );
}

function requestsTo(path: string): number {
  return server.requests.filter((r) => r.path === path).length;
}

describe("deployed policy (public only)", () => {
  it("refuses 127.0.0.1 and localhost before connecting", async () => {
    for (const url of [server.url("/feed"), `http://localhost:${port}/feed`, `http://[::1]:${port}/feed`]) {
      const result = await get(url, PUBLIC_ONLY);
      expect(result, url).toMatchObject({ kind: "failed", reason: "address-refused" });
    }
    expect(requestsTo("/feed")).toBe(0);
  });

  it("refuses a name that resolves to loopback, without a request reaching the server", async () => {
    const result = await get(`http://feeds.pact.test:${port}/feed`, PUBLIC_ONLY);
    expect(result).toMatchObject({ kind: "failed", reason: "address-refused" });
    if (result.kind === "failed") expect(result.message).toContain("feeds.pact.test resolves to 127.0.0.1");
    expect(requestsTo("/feed")).toBe(0);
  });

  it("is what the feed reader gives the poller when asked for it", async () => {
    const { feed, state } = feedAt(server.url("/feed"));
    const outcome = await createFeedReader({ addressPolicy: PUBLIC_ONLY }).read(
      feed,
      state,
      TEST_READ_OPTIONS,
    );
    expect(outcome).toMatchObject({ kind: "failed", reason: "address-refused" });
  });
});

describe("local policy (loopback allowed)", () => {
  it("reads the loopback server by address and by a name that resolves to it", async () => {
    expect(await get(server.url("/feed"), LOOPBACK_ALLOWED)).toMatchObject({ kind: "body", status: 200 });
    // The socket connects where the guarded lookup said: the name reaches this very server.
    const before = requestsTo("/feed");
    expect(await get(`http://feeds.pact.test:${port}/feed`, LOOPBACK_ALLOWED)).toMatchObject({
      kind: "body",
      status: 200,
    });
    expect(requestsTo("/feed")).toBe(before + 1);
  });

  it.each([
    ["/to-metadata", "169.254.169.254"],
    ["/to-private", "10.0.0.7"],
    ["/to-mapped", "linkLocal"],
    ["/to-link-local-v6", "fe80::1 is a linkLocal address"],
    ["/to-unique-local-v6", "fc00::1 is a uniqueLocal address"],
    ["/to-inside-name", "inside.pact.test resolves to 10.0.0.7"],
  ])("checks the redirect hop %s again and refuses it", async (path, named) => {
    const result = await get(server.url(path), LOOPBACK_ALLOWED);
    expect(result).toMatchObject({ kind: "failed", reason: "address-refused" });
    if (result.kind === "failed") expect(result.message).toContain(named);
  });

  it("follows a redirect to a name that passes", async () => {
    expect(await get(server.url("/to-loopback-name"), LOOPBACK_ALLOWED)).toMatchObject({
      kind: "body",
      status: 200,
    });
    expect(await get(server.url("/to-loopback-name"), PUBLIC_ONLY)).toMatchObject({
      reason: "address-refused",
    });
  });
});
