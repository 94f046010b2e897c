// Which addresses a feed fetch may reach: the deployed poller public unicast only, the local run
// loopback too. Ranges from ipaddr.js; the table below is what the policy promises.
import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import {
  ADDRESS_REFUSED,
  defaultAddressPolicy,
  guardedLookup,
  LOOPBACK_ALLOWED,
  type LookupFunction,
  PUBLIC_ONLY,
  refusalOf,
  urlRefusal,
} from "#shared/adapters/feed/address-policy.ts";
import { fetchFeed } from "#shared/adapters/feed/http-fetch.ts";

const REFUSED_EVERYWHERE = [
  ["10.1.2.3", "private"],
  ["172.16.0.1", "private"],
  ["192.168.1.1", "private"],
  ["169.254.169.254", "linkLocal"],
  ["100.64.0.1", "carrierGradeNat"],
  ["0.0.0.0", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["fe80::1", "linkLocal"],
  ["fc00::1", "uniqueLocal"],
  ["fd00:ec2::254", "uniqueLocal"],
  ["::", "unspecified"],
  ["::ffff:169.254.169.254", "linkLocal"],
  ["::ffff:a9fe:a9fe", "linkLocal"],
  ["::ffff:10.0.0.1", "private"],
] as const;
const LOOPBACK = ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "::ffff:7f00:1"];
const PUBLIC = ["8.8.8.8", "151.101.1.69", "2606:4700::1111", "2a00:1450:4001::200e"];

describe("refusalOf", () => {
  it.each(REFUSED_EVERYWHERE)("refuses %s (%s) under both policies", (address, range) => {
    expect(refusalOf(address, PUBLIC_ONLY)).toContain(`a ${range} address`);
    expect(refusalOf(address, LOOPBACK_ALLOWED)).toContain(`a ${range} address`);
  });

  it.each(LOOPBACK)("refuses loopback %s when deployed, allows it locally", (address) => {
    expect(refusalOf(address, PUBLIC_ONLY)).toContain("a loopback address");
    expect(refusalOf(address, LOOPBACK_ALLOWED)).toBeUndefined();
  });

  it.each(PUBLIC)("allows public %s", (address) => {
    expect(refusalOf(address, PUBLIC_ONLY)).toBeUndefined();
  });
});

describe("urlRefusal", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next",
    "http://localhost/",
    "http://feeds.localhost:8080/rss",
    "http://[::1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://100.64.1.1/rss",
    "https://10.0.0.5/feed",
  ])("refuses %s for a deployed poller", (url) => {
    expect(urlRefusal(url, PUBLIC_ONLY)).toMatch(/public addresses only/);
  });

  it("lets loopback through locally, but never the metadata service", () => {
    expect(urlRefusal("http://127.0.0.1:4000/feeds/a.xml", LOOPBACK_ALLOWED)).toBeUndefined();
    expect(urlRefusal("http://localhost:4000/", LOOPBACK_ALLOWED)).toBeUndefined();
    expect(urlRefusal("http://169.254.169.254/", LOOPBACK_ALLOWED)).toMatch(/linkLocal/);
  });

  it("leaves DNS names to the lookup", () => {
    expect(urlRefusal("https://www.nknews.org/feed/", PUBLIC_ONLY)).toBeUndefined();
  });
});

/** A resolver that answers from a table, as dns.lookup({ all: true }) would. */
function tableResolver(table: Record<string, string[]>): LookupFunction {
  return (hostname, _options, callback) => {
    const found = table[hostname];
    if (!found) return callback(Object.assign(new Error("not found"), { code: "ENOTFOUND" }), []);
    callback(
      null,
      found.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 })),
    );
  };
}

function lookupOnce(lookup: LookupFunction, host: string, all: boolean) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
    lookup(host, { all }, (error, address) => resolve({ error, address })),
  );
}

describe("guardedLookup", () => {
  const resolver = tableResolver({
    "feeds.public.test": ["151.101.1.69", "2a04:4e42::561"],
    "rebind.test": ["151.101.1.69", "169.254.169.254"],
    "inside.test": ["10.0.0.7"],
    "loop.test": ["127.0.0.1"],
    "v6-loop.test": ["2a04:4e42::561", "::1"],
    "v6-link.test": ["fe80::1"],
    "v6-mapped.test": ["::ffff:127.0.0.1"],
    "v6-ula.test": ["fc00::1"],
  });

  it("hands over the checked addresses in the form asked for", async () => {
    const lookup = guardedLookup(PUBLIC_ONLY, resolver);
    expect((await lookupOnce(lookup, "feeds.public.test", true)).address).toHaveLength(2);
    expect((await lookupOnce(lookup, "feeds.public.test", false)).address).toBe("151.101.1.69");
  });

  it("refuses a name when any of its answers is not public", async () => {
    const lookup = guardedLookup(PUBLIC_ONLY, resolver);
    const refused = ["rebind.test", "inside.test", "loop.test"];
    const refusedV6 = ["v6-loop.test", "v6-link.test", "v6-mapped.test", "v6-ula.test"];
    for (const host of [...refused, ...refusedV6]) {
      const { error } = await lookupOnce(lookup, host, true);
      expect(error?.code, host).toBe(ADDRESS_REFUSED);
      expect(error?.message).toContain(`${host} resolves to`);
    }
    const local = guardedLookup(LOOPBACK_ALLOWED, resolver);
    expect((await lookupOnce(local, "loop.test", false)).address).toBe("127.0.0.1");
    expect((await lookupOnce(local, "v6-mapped.test", false)).address).toBe("::ffff:127.0.0.1");
    expect((await lookupOnce(local, "v6-loop.test", true)).address).toHaveLength(2);
    for (const host of ["v6-link.test", "v6-ula.test"]) {
      expect((await lookupOnce(local, host, true)).error?.code, host).toBe(ADDRESS_REFUSED);
    }
  });

  it("passes resolver errors on", async () => {
    const { error } = await lookupOnce(guardedLookup(PUBLIC_ONLY, resolver), "nowhere.test", true);
    expect(error?.code).toBe("ENOTFOUND");
  });
});

describe("redirect hops under the deployed policy", () => {
  // Tests reach no public server, so a stand-in answers the first hop as a public origin would
  // (a redirect); the hop it points to must be refused before any request is made to it.
  function publicOriginRedirectingTo(location: string) {
    const requested: string[] = [];
    const fetch = (async (url: string | URL) => {
      requested.push(String(url));
      return new Response(null, { status: 302, headers: { location } });
    }) as typeof globalThis.fetch;
    return { fetch, requested };
  }

  it.each([
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]:8080/rss",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
    "http://169.254.169.254/latest/meta-data/",
    "http://localhost:9001/2018-06-01/runtime/invocation/next",
  ])("refuses a redirect to %s without requesting it", async (location) => {
    const origin = publicOriginRedirectingTo(location);
    const result = await fetchFeed(
      {
        url: "https://feeds.public.test/rss",
        userAgent: "pact-watch-test",
        timeoutMs: 5_000,
        maxBytes: 1_000,
      },
      { addressPolicy: PUBLIC_ONLY, fetch: origin.fetch },
    );
    expect(result).toMatchObject({ kind: "failed", reason: "address-refused" });
    if (result.kind === "failed") expect(result.message).toMatch(/public addresses only/);
    expect(origin.requested).toEqual(["https://feeds.public.test/rss"]);
  });
});

describe("defaultAddressPolicy", () => {
  it("is public-only inside Lambda whatever the wiring passed", () => {
    expect(defaultAddressPolicy({ AWS_LAMBDA_FUNCTION_NAME: "PactWatch-PollFeeds" })).toBe(PUBLIC_ONLY);
    expect(defaultAddressPolicy({})).toBe(LOOPBACK_ALLOWED);
  });
});
