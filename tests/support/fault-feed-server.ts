// A misbehaving feed server on 127.0.0.1: RSS feeds of numbered developments with ETags, and, while
// faults are on, a seeded share of requests that hang past the reader's timeout, reset the
// connection before the headers, or reset it half-way through the body. `version` changes the
// feeds between two fetches (new items, new ETags).
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Random } from "#functions/local/seeded-random.ts";

export type HttpFault = "timeout" | "reset" | "reset-mid-body";

export interface Development {
  id: number;
  /** Feeds that report it (the first one first). */
  feeds: number[];
  title: string;
  summary: string;
  published: Date;
  /** Feed version from which it appears. */
  since: number;
}

export interface FaultFeedServer {
  url(feed: number): string;
  /** Serves this version of every feed from now on. */
  version: number;
  faults: { on: boolean; rate: number; random: Random; injected: Record<HttpFault, number> };
  requests: number;
  close(): Promise<void>;
}

const KINDS: HttpFault[] = ["timeout", "reset", "reset-mid-body"];

export function linkOf(dev: number, feed: number): string {
  return `https://feed-${feed}.example/dev-${dev}`;
}

export function rssFor(feed: number, developments: Development[], version: number): string {
  const items = developments
    .filter((d) => d.since <= version && d.feeds.includes(feed))
    .map(
      (d) =>
        `<item><title>${d.title}</title><link>${linkOf(d.id, feed)}</link><guid>${linkOf(d.id, feed)}</guid>` +
        `<description>${d.summary}</description><pubDate>${d.published.toUTCString()}</pubDate></item>`,
    )
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${feed}</title>` +
    `<link>https://feed-${feed}.example/</link><description>test</description>${items}</channel></rss>`
  );
}

export async function startFaultFeedServer(
  developments: Development[],
  random: Random,
): Promise<FaultFeedServer> {
  const state: FaultFeedServer = {
    url: () => "",
    version: 1,
    faults: { on: false, rate: 0, random, injected: { timeout: 0, reset: 0, "reset-mid-body": 0 } },
    requests: 0,
    close: async () => {},
  };
  const hung: ServerResponse[] = [];
  const server = createServer((req, res) => {
    state.requests++;
    const feed = Number(/^\/feeds\/(\d+)\.xml$/.exec(req.url ?? "")?.[1] ?? Number.NaN);
    if (!Number.isInteger(feed)) return res.writeHead(404).end();
    const body = Buffer.from(rssFor(feed, developments, state.version));
    const etag = `"v${state.version}-f${feed}"`;
    const f = state.faults;
    if (f.on && f.random() < f.rate) {
      const kind = KINDS[Math.floor(f.random() * KINDS.length)] ?? "reset";
      f.injected[kind]++;
      if (kind === "timeout") {
        hung.push(res);
        return;
      }
      if (kind === "reset") return req.socket.destroy();
      res.writeHead(200, { "content-type": "application/rss+xml", "content-length": body.length, etag });
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      return setImmediate(() => req.socket.destroy());
    }
    if (req.headers["if-none-match"] === etag) return res.writeHead(304, { etag }).end();
    res.writeHead(200, { "content-type": "application/rss+xml", etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = (feed) => `http://127.0.0.1:${port}/feeds/${feed}.xml`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
