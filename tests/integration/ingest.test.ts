// The whole fetch → decode → parse → normalize path against a real loopback server: statuses,
// conditional GET, redirects, encodings, and every hostile feed of the local demo.
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOOPBACK_ALLOWED } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { GOOD_FEED_CASE, HOSTILE_CASES } from "#shared/adapters/local/hostile-feeds.ts";
import type { ReadOutcome } from "#shared/ports.ts";
import {
  bytesRoute,
  closedPort,
  feedAt,
  type IngestServer,
  startIngestServer,
  TEST_READ_OPTIONS,
} from "../support/ingest-server.ts";

const RSS = (title: string, extra = "") =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>https://site.example/</link>` +
  `<item><title>${title}</title><link>https://site.example/a?utm_source=x</link><guid>g-1</guid>${extra}</item></channel></rss>`;

// The test server listens on 127.0.0.1: loopback is allowed explicitly, as in the local run.
const reader = createFeedReader({ addressPolicy: LOOPBACK_ALLOWED });
let server: IngestServer;

function items(outcome: ReadOutcome) {
  if (outcome.kind !== "items") throw new Error(`expected items, got ${JSON.stringify(outcome)}`);
  return outcome;
}

async function read(path: string, options = TEST_READ_OPTIONS, extra: Parameters<typeof feedAt>[1] = {}) {
  const { feed, state } = feedAt(server.url(path), extra);
  return reader.read(feed, state, options);
}

beforeAll(async () => {
  server = await startIngestServer({
    "/ok": bytesRoute(RSS("Hello"), { "content-type": "application/rss+xml", etag: '"v1"' }),
    "/conditional": (req, res) => {
      if (
        req.headers["if-none-match"] === '"v2"' ||
        req.headers["if-modified-since"] === "Wed, 19 Jun 2024 10:00:00 GMT"
      ) {
        res.writeHead(304, { etag: '"v2"' }).end();
        return;
      }
      const body = RSS("Fresh");
      res.writeHead(200, {
        "content-type": "application/rss+xml",
        etag: '"v2"',
        "last-modified": "Wed, 19 Jun 2024 10:00:00 GMT",
      });
      res.end(body);
    },
    "/moved-301": (_req, res) => res.writeHead(301, { location: "/moved-308" }).end(),
    "/moved-308": (_req, res) => res.writeHead(308, { location: "/ok" }).end(),
    "/temp-302": (_req, res) => res.writeHead(302, { location: "/temp-307" }).end(),
    "/temp-307": (_req, res) => res.writeHead(307, { location: "/ok" }).end(),
    "/perm-then-temp": (_req, res) => res.writeHead(301, { location: "/temp-302" }).end(),
    "/moved-to-304": (_req, res) => res.writeHead(301, { location: "/conditional" }).end(),
    "/redirect-to-js": (_req, res) => res.writeHead(302, { location: "javascript:alert(1)" }).end(),
    ...Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [
        `/chain-${i}`,
        (_req: IncomingMessage, res: ServerResponse) =>
          res.writeHead(302, { location: i === 6 ? "/ok" : `/chain-${i + 1}` }).end(),
      ]),
    ),
    "/cdata": bytesRoute(
      RSS(
        "<![CDATA[Putin&nbsp;&amp; Kim &mdash; AT&T]]>",
        "<description><![CDATA[<p>Talks&nbsp;ended</p>]]></description>",
      ),
      { "content-type": "application/rss+xml" },
    ),
    "/reset-once": (() => {
      let calls = 0;
      return (req: IncomingMessage, res: ServerResponse) => {
        calls++;
        if (calls % 2 === 1) req.socket.destroy();
        else bytesRoute(RSS("After reset"), { "content-type": "application/rss+xml" })(req, res);
      };
    })(),
    "/reset-always": (req) => req.socket.destroy(),
    "/gone": bytesRoute("gone", { "content-type": "text/plain" }, 410),
    "/teapot": bytesRoute("no", { "content-type": "text/plain" }, 418),
    "/busy-seconds": bytesRoute("slow down", { "retry-after": "120" }, 429),
    "/busy-date": (_req, res) => {
      const later = new Date(Date.now() + 3_600_000).toUTCString();
      res.writeHead(503, { "retry-after": later }).end();
    },
    "/declared-huge": (_req, res) => {
      res.writeHead(200, {
        "content-type": "application/rss+xml",
        "content-length": String(50 * 1024 * 1024),
      });
      res.write("<rss>");
      // The reader must give up on the header alone; the socket is torn down on close.
    },
    "/gzip-ok": (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" });
      res.end(gzipSync(RSS("Compressed")));
    },
    "/utf8-declared-invalid": bytesRoute(
      Buffer.concat([
        Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><item><title>A',
        ),
        Buffer.from([0xff, 0xfe, 0x41]),
        Buffer.from("</title><guid>x</guid></item></channel></rss>"),
      ]),
      { "content-type": "application/rss+xml" },
    ),
    "/json": bytesRoute(
      JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "JSON",
        home_page_url: "https://json.example/",
        language: "ru",
        items: [
          { id: "1", url: "/posts/1?fbclid=abc", title: "Путин и Ким", content_html: "<p>Договор</p>" },
          { id: 2, content_text: "Text only <not a tag>", date_published: "2024-06-19T10:00:00+09:00" },
          { id: "3", url: "javascript:alert(1)", title: "bad link" },
          "not an item",
        ],
      }),
      { "content-type": "application/feed+json" },
    ),
    "/json-not-feed": bytesRoute('{"hello":"world"}', { "content-type": "application/json" }),
    "/empty": bytesRoute("", { "content-type": "application/rss+xml" }),
    "/atom": bytesRoute(
      '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">' +
        '<title>A</title><link href="https://atom.example/blog/"/>' +
        '<entry><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; news</title>' +
        '<link href="post-1"/><published>not a date</published><updated>2024-06-19T10:00:00Z</updated>' +
        "<summary>Kurz</summary></entry>" +
        '<entry><id>tag:atom.example,2024:2</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Kim <b>arrives</b></div></title>' +
        '<link rel="alternate" href="https://atom.example/blog/post-2"/><published>2024-06-20T08:00:00+02:00</published></entry></feed>',
      { "content-type": "application/atom+xml" },
    ),
  });
});

afterAll(async () => {
  await server.close();
});

describe("HTTP behaviour", () => {
  it("reads a feed and sends the configured User-Agent and an Accept for feeds", async () => {
    // Act
    const outcome = items(await read("/ok"));
    // Assess
    expect(outcome.items.map((i) => i.title)).toEqual(["Hello"]);
    expect(outcome.items[0]?.link).toBe("https://site.example/a");
    expect(outcome.etag).toBe('"v1"');
    expect(outcome.bytes).toBeGreaterThan(100);
    const request = server.requests.findLast((r) => r.path === "/ok");
    expect(request?.headers["user-agent"]).toBe(TEST_READ_OPTIONS.userAgent);
    expect(request?.headers.accept).toContain("application/rss+xml");
  });

  it("sends the stored validators and reports 304 as not-modified without a body", async () => {
    // Prepare
    const { feed, state } = feedAt(server.url("/conditional"));
    const first = items(await reader.read(feed, state, TEST_READ_OPTIONS));
    // Act
    const withEtag = await reader.read(feed, { ...state, etag: first.etag }, TEST_READ_OPTIONS);
    const withDate = await reader.read(
      feed,
      { ...state, lastModified: first.lastModified },
      TEST_READ_OPTIONS,
    );
    // Assess
    expect(first.lastModified).toBe("Wed, 19 Jun 2024 10:00:00 GMT");
    expect(withEtag).toEqual({ kind: "not-modified", etag: '"v2"', lastModified: undefined });
    expect(withDate.kind).toBe("not-modified");
    const conditional = server.requests.filter((r) => r.path === "/conditional");
    expect(conditional[1]?.headers["if-none-match"]).toBe('"v2"');
    expect(conditional[2]?.headers["if-modified-since"]).toBe("Wed, 19 Jun 2024 10:00:00 GMT");
  });

  it("reports the final URL of permanent redirects (301, 308) as movedTo", async () => {
    const outcome = items(await read("/moved-301"));
    expect(outcome.movedTo).toBe(server.url("/ok"));
  });

  it("does not move the feed for temporary redirects (302, 307)", async () => {
    const outcome = items(await read("/temp-302"));
    expect(outcome.movedTo).toBeUndefined();
    expect(outcome.items).toHaveLength(1);
  });

  it("moves the feed only as far as the permanent part of a mixed chain", async () => {
    const outcome = items(await read("/perm-then-temp"));
    expect(outcome.movedTo).toBe(server.url("/temp-302"));
  });

  it("keeps movedTo on a 304 reached through a permanent redirect", async () => {
    const { feed, state } = feedAt(server.url("/moved-to-304"));
    const outcome = await reader.read(feed, { ...state, etag: '"v2"' }, TEST_READ_OPTIONS);
    expect(outcome).toMatchObject({ kind: "not-modified", movedTo: server.url("/conditional") });
  });

  it("fails on redirect loops, on more than five redirects and on non-http redirects", async () => {
    expect(await read("/hostile/redirect-loop")).toMatchObject({ kind: "failed", reason: "redirect-loop" });
    expect(await read("/chain-0")).toMatchObject({ kind: "failed", reason: "too-many-redirects" });
    expect(await read("/chain-2")).toMatchObject({ kind: "items" });
    expect(await read("/redirect-to-js")).toMatchObject({ kind: "failed", reason: "bad-redirect" });
  });

  it("maps 410 to gone and other statuses to http-<status> failures", async () => {
    expect(await read("/gone")).toEqual({ kind: "gone", status: 410 });
    expect(await read("/hostile/not-found")).toMatchObject({ kind: "failed", reason: "http-404" });
    expect(await read("/hostile/server-error")).toMatchObject({ kind: "failed", reason: "http-500" });
    const teapot = await read("/teapot");
    expect(teapot).toMatchObject({ kind: "failed", reason: "http-418" });
    expect(teapot.kind === "failed" && teapot.message).toContain("418");
  });

  it("honours Retry-After in seconds and as an HTTP date on 429 and 503", async () => {
    const seconds = await read("/busy-seconds");
    const date = await read("/busy-date");
    expect(seconds).toMatchObject({ kind: "failed", reason: "http-429", retryAfterMs: 120_000 });
    expect(date).toMatchObject({ kind: "failed", reason: "http-503" });
    const retryAfterMs = date.kind === "failed" ? (date.retryAfterMs ?? 0) : 0;
    expect(retryAfterMs).toBeGreaterThan(3_590_000);
    expect(retryAfterMs).toBeLessThanOrEqual(3_600_000);
  });

  it("reports a refused connection", async () => {
    const port = await closedPort();
    const { feed, state } = feedAt(`http://127.0.0.1:${port}/feed.xml`);
    const outcome = await reader.read(feed, state, TEST_READ_OPTIONS);
    expect(outcome).toMatchObject({ kind: "failed", reason: "connection-refused" });
    expect(outcome.kind === "failed" && outcome.message).toContain(`127.0.0.1:${port}`);
  });

  it("maps a DNS failure reported by fetch to reason dns", async () => {
    // Prepare: no DNS beyond loopback in tests, so fetch fails the way undici does for NXDOMAIN.
    const failingFetch = (async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND feed.invalid"), { code: "ENOTFOUND" }),
      });
    }) as typeof fetch;
    const { feed, state } = feedAt("https://feed.invalid/rss");
    // Act
    const outcome = await createFeedReader({ fetch: failingFetch }).read(feed, state, TEST_READ_OPTIONS);
    // Assess
    expect(outcome).toMatchObject({ kind: "failed", reason: "dns" });
  });

  it("rejects a declared Content-Length over the cap without reading the body", async () => {
    const outcome = await read("/declared-huge");
    expect(outcome).toMatchObject({ kind: "failed", reason: "too-large" });
  });

  it("decodes HTML entities inside CDATA once, and only once", async () => {
    const [item] = items(await read("/cdata")).items;
    expect(item).toMatchObject({ title: "Putin & Kim — AT&T", summary: "Talks ended" });
  });

  it("retries once on a connection reset before any response, then reports connection-reset", async () => {
    expect(items(await read("/reset-once")).items[0]?.title).toBe("After reset");
    expect(await read("/reset-always")).toMatchObject({ kind: "failed", reason: "connection-reset" });
    expect(server.requests.filter((r) => r.path === "/reset-always")).toHaveLength(2);
  });

  it("decompresses gzip bodies", async () => {
    expect(items(await read("/gzip-ok")).items[0]?.title).toBe("Compressed");
  });

  it("gives up on an aborted signal from the caller", async () => {
    const controller = new AbortController();
    const pending = read("/hostile/drip", { ...TEST_READ_OPTIONS, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toMatchObject({ kind: "failed", reason: "aborted" });
  });
});

describe("formats", () => {
  it("reads JSON Feed 1.1, validating items one by one", async () => {
    // Act
    const outcome = items(await read("/json"));
    // Assess
    expect(outcome.items.map((i) => [i.title, i.summary, i.link, i.language])).toEqual([
      ["Путин и Ким", "Договор", "https://json.example/posts/1", "ru"],
      ["", "Text only <not a tag>", undefined, "ru"],
      ["bad link", "", undefined, "ru"],
    ]);
    expect(outcome.items[1]?.published).toBe("2024-06-19T01:00:00.000Z");
    expect(outcome.dropped).toBe(1);
  });

  it("calls JSON that is not a JSON Feed not-a-feed, and an empty body not-a-feed", async () => {
    expect(await read("/json-not-feed")).toMatchObject({ kind: "failed", reason: "not-a-feed" });
    expect(await read("/empty")).toMatchObject({ kind: "failed", reason: "not-a-feed" });
  });

  it("reads Atom with HTML and XHTML titles, relative links, xml:lang and a broken published date", async () => {
    const [entry, xhtml] = items(await read("/atom")).items;
    expect(xhtml).toMatchObject({ title: "Kim arrives", published: "2024-06-20T06:00:00.000Z" });
    expect(entry).toMatchObject({
      id: "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6",
      title: "Bold news",
      summary: "Kurz",
      link: "https://atom.example/blog/post-1",
      language: "de",
      published: "2024-06-19T10:00:00.000Z",
    });
  });
});

describe("encodings", () => {
  const RUSSIAN = "Путин и Ким Чен Ын подписали договор";
  const KOREAN = "푸틴과 김정은, 평양에서 조약 서명";
  const JAPANESE = "プーチン氏と金正恩氏が条約に署名";
  const CHINESE = "普京与金正恩签署条约";
  const WESTERN = "Moscou et Pyongyang signent un traité — €";

  /** Bytes of `text` in `encoding`, via Node for UTF-16 and a reverse table of TextDecoder otherwise. */
  function encode(text: string, encoding: string): Buffer {
    if (encoding === "utf-8") return Buffer.from(text, "utf8");
    if (encoding === "utf-16le") return Buffer.from(text, "utf16le");
    if (encoding === "utf-16be") return Buffer.from(text, "utf16le").swap16();
    return encodeLegacy(text, encoding);
  }

  const cases: Array<{ name: string; encoding: string; text: string; via: "header" | "prolog" | "bom" }> = [
    { name: "windows-1251 by header", encoding: "windows-1251", text: RUSSIAN, via: "header" },
    { name: "windows-1251 by prolog", encoding: "windows-1251", text: RUSSIAN, via: "prolog" },
    { name: "koi8-r by prolog", encoding: "koi8-r", text: RUSSIAN, via: "prolog" },
    {
      name: "iso-8859-1 by header",
      encoding: "iso-8859-1",
      text: "Moscou et Pyongyang signent un traité",
      via: "header",
    },
    { name: "iso-8859-15 by prolog", encoding: "iso-8859-15", text: "Un traité à 1 € près", via: "prolog" },
    { name: "windows-1252 by header", encoding: "windows-1252", text: WESTERN, via: "header" },
    { name: "euc-kr by header", encoding: "euc-kr", text: KOREAN, via: "header" },
    { name: "shift_jis by prolog", encoding: "shift_jis", text: JAPANESE, via: "prolog" },
    { name: "gb18030 by header", encoding: "gb18030", text: CHINESE, via: "header" },
    { name: "utf-16le with BOM", encoding: "utf-16le", text: KOREAN, via: "bom" },
    { name: "utf-16be with BOM", encoding: "utf-16be", text: RUSSIAN, via: "bom" },
    { name: "utf-8 with BOM", encoding: "utf-8", text: RUSSIAN, via: "bom" },
  ];

  for (const { name, encoding, text, via } of cases) {
    it(`decodes ${name}`, async () => {
      // Prepare
      // The prolog names the encoding only when it is the source under test; otherwise it says
      // something wrong that the stronger source (header or BOM) must override.
      const prologEncoding = via === "prolog" ? encoding : via === "bom" ? "koi8-r" : "ascii";
      const xml =
        `<?xml version="1.0" encoding="${prologEncoding}"?>` +
        `<rss version="2.0"><channel><title>Feed</title><link>https://enc.example/</link>` +
        `<item><title>${text}</title><guid>enc-1</guid></item></channel></rss>`;
      const bom = via === "bom" ? encode("\uFEFF", encoding) : Buffer.alloc(0);
      const body = Buffer.concat([bom, encode(xml, encoding)]);
      const contentType =
        via === "header" ? `application/rss+xml; charset=${encoding}` : "application/rss+xml";
      const path = `/enc/${name.replace(/\W+/g, "-")}`;
      const local = await startIngestServer({ [path]: bytesRoute(body, { "content-type": contentType }) });
      try {
        const { feed, state } = feedAt(local.url(path));
        // Act
        const outcome = items(await reader.read(feed, state, TEST_READ_OPTIONS));
        // Assess
        expect(outcome.items[0]?.title).toBe(text);
      } finally {
        await local.close();
      }
    });
  }

  it("lets the HTTP header win over a disagreeing prolog, as browsers do", async () => {
    const xml = `<?xml version="1.0" encoding="koi8-r"?><rss version="2.0"><channel><title>F</title><item><title>${RUSSIAN}</title><guid>1</guid></item></channel></rss>`;
    const local = await startIngestServer({
      "/f": bytesRoute(encode(xml, "windows-1251"), { "content-type": "text/xml; charset=windows-1251" }),
    });
    try {
      const { feed, state } = feedAt(local.url("/f"));
      expect(items(await reader.read(feed, state, TEST_READ_OPTIONS)).items[0]?.title).toBe(RUSSIAN);
    } finally {
      await local.close();
    }
  });

  it("keeps invalid bytes in a declared UTF-8 feed as replacement characters", async () => {
    const [item] = items(await read("/utf8-declared-invalid")).items;
    expect(item?.title).toBe("A\uFFFD\uFFFDA");
  });
});

describe("hostile feeds", () => {
  it("lists every case the issue names", () => {
    expect([...HOSTILE_CASES].sort()).toEqual(
      [
        "billion-laughs",
        "connection-refused",
        "drip",
        "gzip-bomb",
        "html-page",
        "huge-body",
        "invalid-utf8",
        "javascript-links",
        "not-found",
        "redirect-loop",
        "script-in-title",
        "server-error",
        "ten-thousand-items",
        "truncated-xml",
        "xxe",
      ].sort(),
    );
  });

  it("serves a good feed with one relevant and one unrelated item", async () => {
    const outcome = items(await read(`/hostile/${GOOD_FEED_CASE}`));
    expect(outcome.items.map((i) => i.title)).toEqual([
      "Putin and Kim Jong Un sign mutual defence treaty in Pyongyang",
      "Kim Kardashian launches a new skincare line",
    ]);
    expect(outcome.items[0]?.link).toBe("https://hostile.example/news/treaty");
    expect(outcome.items[1]?.published).toBe("2024-06-20T06:30:00.000Z");
  });

  it("never expands a billion-laughs entity bomb (rss-parser itself rejects it)", async () => {
    // Prepare
    const bomb = await (await fetch(server.url("/hostile/billion-laughs"))).text();
    // Act
    const direct = new Parser().parseString(bomb).then(
      () => "parsed",
      () => "rejected",
    );
    const before = process.memoryUsage().heapUsed;
    const outcome = await read("/hostile/billion-laughs");
    // Assess
    expect(await direct).toBe("rejected");
    const [item] = items(outcome).items;
    expect(item?.title).toBe("&lol9;");
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });

  it("never resolves an external entity (XXE): rss-parser refuses it, the reader keeps it inert", async () => {
    const document = await (await fetch(server.url("/hostile/xxe"))).text();
    await expect(new Parser().parseString(document)).rejects.toThrow();
    const [item] = items(await read("/hostile/xxe")).items;
    expect(item?.title).toBe("Secrets: &xxe;");
    expect(JSON.stringify(item)).not.toMatch(/root:|\/bin\/(ba)?sh/);
  });

  it("stops a 60 MB body at the byte cap", async () => {
    const before = process.memoryUsage().rss;
    const outcome = await read("/hostile/huge-body");
    expect(outcome).toMatchObject({ kind: "failed", reason: "too-large" });
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it("stops a gzip bomb once the decoded bytes pass the cap", async () => {
    const started = Date.now();
    const outcome = await read("/hostile/gzip-bomb", { ...TEST_READ_OPTIONS, maxBytes: 1024 * 1024 });
    expect(outcome).toMatchObject({ kind: "failed", reason: "too-large" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("times out on a server that drips a byte a second, body read included", async () => {
    const started = Date.now();
    const outcome = await read("/hostile/drip", { ...TEST_READ_OPTIONS, timeoutMs: 1_000 });
    const elapsed = Date.now() - started;
    expect(outcome).toMatchObject({ kind: "failed", reason: "timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2_500);
  });

  it("falls back to windows-1252 for undeclared bytes that are not UTF-8", async () => {
    const [item] = items(await read("/hostile/invalid-utf8")).items;
    // The em dash's UTF-8 bytes, read as windows-1252 ("â€”"), are repaired as double-encoded UTF-8.
    expect(item?.title).toBe("Café\u20ac\u00c0\u00af\u00ff au menu \u2014 broken bytes");
  });

  it("reads a 10,000-item feed with distinct ids", async () => {
    const outcome = items(await read("/hostile/ten-thousand-items"));
    expect(outcome.items).toHaveLength(10_000);
    expect(new Set(outcome.items.map((i) => i.id)).size).toBe(10_000);
    expect(outcome.items[9_999]?.title).toBe("Bulk item 10000: regional news roundup");
  });

  it("calls an HTML page not-a-feed, and salvages truncated XML as a degraded feed", async () => {
    expect(await read("/hostile/html-page")).toMatchObject({ kind: "failed", reason: "not-a-feed" });
    // Cut off inside the first item's <description: what was read before the cut is kept.
    const truncated = items(await read("/hostile/truncated-xml"));
    expect(truncated.degraded).toMatchObject({ reason: "malformed-xml" });
    expect(truncated.degraded?.message).toMatch(/^Malformed XML: /);
    expect(truncated.items.map((i) => [i.id, i.title, i.link])).toEqual([
      [
        "feed:test-feed:hostile-treaty-1",
        "Putin and Kim Jong Un sign mutual defence treaty in Pyongyang",
        "https://hostile.example/news/treaty",
      ],
    ]);
  });

  it("strips scripts, styles, control and bidi characters from titles and summaries", async () => {
    const [first, second] = items(await read("/hostile/script-in-title")).items;
    expect(first?.title).toBe("Putin meets Kim Jong Un in Vladivostok");
    expect(first?.summary).toBe("Talks & a banquet in the port city.");
    expect(second?.title).toBe("Bidi txt.exe trick and zerowidth");
    for (const text of [first?.title, first?.summary, second?.title]) {
      expect(text).not.toMatch(/[\p{Cc}\u202a-\u202e\u200b]|<|script|alert/u);
    }
  });

  it("drops javascript:, data:, mailto:, vbscript: and file: links but keeps the items", async () => {
    const outcome = items(await read("/hostile/javascript-links"));
    expect(outcome.items).toHaveLength(6);
    expect(outcome.items.every((i) => i.link === undefined)).toBe(true);
  });

  it("reports a redirect to a closed port as connection-refused", async () => {
    expect(await read("/hostile/connection-refused")).toMatchObject({
      kind: "failed",
      reason: "connection-refused",
    });
  });

  it("answers every listed case with a per-feed outcome and 404 for unknown cases", async () => {
    // Prepare: short limits so the slow and large cases end quickly.
    const options = { ...TEST_READ_OPTIONS, timeoutMs: 1_000, maxBytes: 1024 * 1024 };
    // Act
    const outcomes = await Promise.all(HOSTILE_CASES.map((name) => read(`/hostile/${name}`, options)));
    const unknown = await read("/hostile/no-such-case");
    // Assess
    expect(outcomes.map((o) => o.kind)).not.toContain(undefined);
    expect(Object.fromEntries(HOSTILE_CASES.map((name, i) => [name, outcomes[i]?.kind]))).toEqual({
      "billion-laughs": "items",
      xxe: "items",
      "huge-body": "failed",
      drip: "failed",
      "gzip-bomb": "failed",
      "invalid-utf8": "items",
      "ten-thousand-items": "failed",
      "html-page": "failed",
      "truncated-xml": "items",
      "script-in-title": "items",
      "javascript-links": "items",
      "redirect-loop": "failed",
      "not-found": "failed",
      "server-error": "failed",
      "connection-refused": "failed",
    });
    expect(unknown).toMatchObject({ kind: "failed", reason: "http-404" });
  });
});

// A reverse of TextDecoder: enough for test strings in single- and multi-byte legacy encodings.
const reverseTables = new Map<string, Map<string, number[]>>();
function encodeLegacy(text: string, encoding: string): Buffer {
  let table = reverseTables.get(encoding);
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder(encoding, { fatal: true });
    const tryBytes = (bytes: number[]) => {
      try {
        const char = decoder.decode(Uint8Array.from(bytes));
        if ([...char].length === 1 && !table?.has(char)) table?.set(char, bytes);
      } catch {
        // not a complete character in this encoding
      }
    };
    // Node 20's TextDecoder decodes windows-1252's 0x80–0x9F as C1 controls, so its two
    // characters used in these tests are spelled out (from the WHATWG index).
    if (encoding === "windows-1252") {
      table.set("€", [0x80]);
      table.set("—", [0x97]);
    }
    for (let a = 0; a < 256; a++) tryBytes([a]);
    for (let a = 0x81; a < 0xff; a++) for (let b = 0x40; b < 0xff; b++) tryBytes([a, b]);
    reverseTables.set(encoding, table);
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = table.get(char);
    if (!code) throw new Error(`${encoding} cannot encode ${char}`);
    bytes.push(...code);
  }
  return Buffer.from(bytes);
}
