// Feeds that misbehave on purpose, served under /hostile/<case> by the local demo server and the
// ingest tests, so every way the web can hurt the poller is one config entry away. Large and slow
// bodies are streamed as they are written, never held in memory or in a fixture.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { gzipSync } from "node:zlib";

export const HOSTILE_CASES = [
  "billion-laughs",
  "xxe",
  "huge-body",
  "drip",
  "gzip-bomb",
  "invalid-utf8",
  "ten-thousand-items",
  "html-page",
  "truncated-xml",
  "script-in-title",
  "javascript-links",
  "redirect-loop",
  "not-found",
  "server-error",
  "connection-refused",
] as const;

export type HostileCase = (typeof HOSTILE_CASES)[number];

/** A well-behaved feed to list beside the hostile ones: one relevant item, one not. */
export const GOOD_FEED_CASE = "good";

const PREFIX = "/hostile/";
const RSS_TYPE = "application/rss+xml; charset=utf-8";
const MiB = 1024 * 1024;
export const HUGE_BODY_BYTES = 60 * MiB;
export const GZIP_BOMB_DECODED_BYTES = 1024 * MiB;
export const TEN_THOUSAND = 10_000;

/** Answers `/hostile/<case>` (and the hops of its redirect loop); false for any other path. */
export function serveHostileFeed(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (!path.startsWith(PREFIX)) return false;
  const [name, ...rest] = path.slice(PREFIX.length).split("/");
  const route = name === GOOD_FEED_CASE ? good : HANDLERS[name as HostileCase];
  if (!route) {
    res.writeHead(404, { "content-type": "text/plain" }).end(`No hostile case "${name}"\n`);
    return true;
  }
  route(req, res, rest.join("/"));
  return true;
}

type Route = (req: IncomingMessage, res: ServerResponse, subpath: string) => void;

const HANDLERS: Record<HostileCase, Route> = {
  "billion-laughs": (_req, res) => send(res, 200, RSS_TYPE, BILLION_LAUGHS),
  xxe: (_req, res) => send(res, 200, RSS_TYPE, XXE),
  "huge-body": (_req, res) => streamHugeBody(res),
  drip: (_req, res) => drip(res),
  "gzip-bomb": (_req, res) => {
    res.writeHead(200, { "content-type": RSS_TYPE, "content-encoding": "gzip" });
    res.end(gzipBomb());
  },
  "invalid-utf8": (_req, res) => send(res, 200, "application/rss+xml", invalidUtf8()),
  "ten-thousand-items": (_req, res) => send(res, 200, RSS_TYPE, tenThousandItems()),
  "html-page": (_req, res) => send(res, 200, "text/html; charset=utf-8", HTML_PAGE),
  "truncated-xml": (_req, res) => send(res, 200, RSS_TYPE, rss(ITEM_RELEVANT + ITEM_OTHER).slice(0, 420)),
  "script-in-title": (_req, res) => send(res, 200, RSS_TYPE, SCRIPT_IN_TITLE),
  "javascript-links": (_req, res) => send(res, 200, RSS_TYPE, JAVASCRIPT_LINKS),
  "redirect-loop": (_req, res, subpath) => {
    const next = subpath === "b" ? `${PREFIX}redirect-loop` : `${PREFIX}redirect-loop/b`;
    res.writeHead(302, { location: next }).end();
  },
  "not-found": (_req, res) => send(res, 404, "text/plain", "Not Found\n"),
  "server-error": (_req, res) => send(res, 500, "text/plain", "Internal Server Error\n"),
  // A temporary redirect to a loopback port that was free a moment ago: the connection is refused.
  "connection-refused": (_req, res) => {
    void closedLoopbackPort().then(
      (port) => res.writeHead(307, { location: `http://127.0.0.1:${port}/feed.xml` }).end(),
      () => res.writeHead(500).end(),
    );
  },
};

const good: Route = (_req, res) => send(res, 200, RSS_TYPE, rss(ITEM_RELEVANT + ITEM_OTHER));

function send(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function rss(items: string, channelExtras = ""): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>' +
    "<title>Hostile test feed</title><link>https://hostile.example/</link>" +
    `<description>Feeds that misbehave on purpose</description>${channelExtras}${items}</channel></rss>\n`
  );
}

const ITEM_RELEVANT =
  "<item><title>Putin and Kim Jong Un sign mutual defence treaty in Pyongyang</title>" +
  "<link>https://hostile.example/news/treaty?utm_source=rss&amp;utm_medium=feed</link>" +
  '<guid isPermaLink="false">hostile-treaty-1</guid>' +
  "<description>&lt;p&gt;Russia and North Korea pledged to help each other if attacked, " +
  "under a comprehensive strategic partnership signed on Wednesday.&lt;/p&gt;</description>" +
  "<pubDate>Wed, 19 Jun 2024 10:00:00 GMT</pubDate></item>";

const ITEM_OTHER =
  "<item><title>Kim Kardashian launches a new skincare line</title>" +
  '<link>https://hostile.example/news/skincare</link><guid isPermaLink="false">hostile-skincare-1</guid>' +
  "<description>The reality star's brand expands to Europe.</description>" +
  "<pubDate>Thu, 20 Jun 2024 08:30:00 +0200</pubDate></item>";

const BILLION_LAUGHS =
  '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY lol "lol">\n' +
  Array.from({ length: 9 }, (_, i) => {
    const previous = i === 0 ? "lol" : `lol${i}`;
    return ` <!ENTITY lol${i + 1} "${`&${previous};`.repeat(10)}">\n`;
  }).join("") +
  ']>\n<rss version="2.0"><channel><title>Laughs</title><link>https://hostile.example/</link>' +
  "<item><title>&lol9;</title><link>https://hostile.example/laughs</link><description>lol</description></item>" +
  "</channel></rss>\n";

const XXE =
  '<?xml version="1.0"?>\n<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n' +
  '<rss version="2.0"><channel><title>XXE</title><link>https://hostile.example/</link>' +
  "<item><title>Secrets: &xxe;</title><link>https://hostile.example/xxe</link>" +
  "<description>Before &xxe; after</description></item></channel></rss>\n";

const HTML_PAGE =
  "<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>Our news</h1>" +
  "<p>The feed moved; this is the home page.</p></body></html>\n";

const SCRIPT_IN_TITLE = rss(
  "<item><title><![CDATA[Putin <script>alert('x')</script>meets <b>Kim Jong Un</b>\u0001\u0007\u001b in Vladivostok]]></title>" +
    "<link>https://hostile.example/news/script</link><guid>hostile-script-1</guid>" +
    "<description>&lt;style&gt;body{display:none}&lt;/style&gt;Talks &amp;amp; a banquet&#x1;\u0000\u0008" +
    "&lt;script&gt;document.cookie&lt;/script&gt; in the port city.</description></item>" +
    "<item><title>Bidi \u202Etxt.exe trick &#8238;and zero\u200Bwidth</title><guid>hostile-script-2</guid>" +
    "<link>https://hostile.example/news/bidi</link></item>",
);

const JAVASCRIPT_LINKS = rss(
  [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "mailto:editor@hostile.example",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
  ]
    .map(
      (link, i) =>
        `<item><title>Link trick ${i + 1}</title><link>${link.replace(/&/g, "&amp;")}</link>` +
        `<guid>hostile-link-${i + 1}</guid><description>Do not click</description></item>`,
    )
    .join(""),
);

function invalidUtf8(): Uint8Array {
  // No declared encoding and bytes that are not UTF-8 (a lone continuation byte, an overlong form,
  // 0xFF): the reader has to pick a fallback rather than fail.
  const head = Buffer.from(
    '<rss version="2.0"><channel><title>Broken bytes</title><link>https://hostile.example/</link>' +
      "<item><title>Caf",
  );
  const tail = Buffer.from(
    " au menu \u2014 broken bytes</title><link>https://hostile.example/news/bytes</link>" +
      "<guid>hostile-bytes-1</guid></item></channel></rss>\n",
    "utf8",
  );
  return Buffer.concat([head, Buffer.from([0xe9, 0x80, 0xc0, 0xaf, 0xff]), tail]);
}

let tenThousandCache: string | undefined;
function tenThousandItems(): string {
  tenThousandCache ??= rss(
    Array.from(
      { length: TEN_THOUSAND },
      (_, i) =>
        `<item><title>Bulk item ${i + 1}: regional news roundup</title>` +
        `<link>https://hostile.example/bulk/${i + 1}</link><guid isPermaLink="false">bulk-${i + 1}</guid>` +
        `<description>Item ${i + 1} of a very long feed, with a sentence or two of summary text.</description>` +
        `<pubDate>${new Date(Date.UTC(2024, 5, 19) - i * 60_000).toUTCString()}</pubDate></item>`,
    ).join(""),
  );
  return tenThousandCache;
}

function streamHugeBody(res: ServerResponse): void {
  // Chunked, no Content-Length: the reader only finds out by counting.
  res.writeHead(200, { "content-type": RSS_TYPE });
  const item = Buffer.from(
    `<item><title>Filler</title><description>${"x".repeat(900)}</description></item>\n`.repeat(64),
  );
  let sent = 0;
  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  res.write(rss("").replace("</channel></rss>\n", ""));
  const pump = (): void => {
    while (!closed && sent < HUGE_BODY_BYTES) {
      sent += item.byteLength;
      if (!res.write(item)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!closed) res.end("</channel></rss>\n");
  };
  pump();
}

function drip(res: ServerResponse): void {
  res.writeHead(200, { "content-type": RSS_TYPE });
  const body = rss(ITEM_RELEVANT);
  let position = 0;
  const timer = setInterval(() => {
    if (position >= body.length) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(body[position++] ?? "");
  }, 1000);
  res.on("close", () => clearInterval(timer));
}

let gzipBombCache: Buffer | undefined;
/**
 * A gigabyte of spaces after a feed's opening tags, gzipped to about a megabyte. Built as repeats
 * of one compressed mebibyte (gzip allows concatenated members and every decoder reads them), so
 * it costs milliseconds at start instead of seconds of compression.
 */
export function gzipBomb(): Buffer {
  if (!gzipBombCache) {
    const opening = gzipSync(Buffer.from('<?xml version="1.0"?><rss version="2.0"><channel><title>Bomb'));
    const spaces = gzipSync(Buffer.alloc(MiB, 0x20), { level: 9 });
    gzipBombCache = Buffer.concat([
      opening,
      ...Array.from({ length: GZIP_BOMB_DECODED_BYTES / MiB }, () => spaces),
    ]);
  }
  return gzipBombCache;
}

/** A loopback port nothing listens on: bound by us, then released. */
async function closedLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
