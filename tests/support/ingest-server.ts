// A loopback HTTP server for the ingest tests: the hostile feeds of the local demo plus whatever
// routes a test adds, recording every request so tests can check what the reader sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serveHostileFeed } from "#shared/adapters/local/hostile-feeds.ts";
import type { FeedConfig } from "#shared/config/schema.ts";
import { type FeedState, initialFeedState, type ReadOptions } from "#shared/ports.ts";

export type IngestRoute = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
}

export interface IngestServer {
  origin: string;
  url(path: string): string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startIngestServer(routes: Record<string, IngestRoute> = {}): Promise<IngestServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    requests.push({ path, headers: req.headers });
    const route = routes[path];
    if (route) return route(req, res);
    if (serveHostileFeed(req, res)) return;
    res.writeHead(404, { "content-type": "text/plain" }).end("no such route\n");
  });
  // Longer than any test's pause between requests, so a kept-alive socket is never closed under a
  // request that reuses it (Node's 5 s default races with a loaded machine).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once by us, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function feedAt(url: string, extra: Partial<FeedConfig> = {}): { feed: FeedConfig; state: FeedState } {
  const feed: FeedConfig = { id: "test-feed", url, official: false, enabled: true, ...extra };
  return { feed, state: initialFeedState(feed) };
}

export const TEST_READ_OPTIONS: ReadOptions = {
  userAgent: "pact-watch-tests/1.0",
  timeoutMs: 5_000,
  maxBytes: 5 * 1024 * 1024,
};

/** A route answering with fixed bytes and headers. */
export function bytesRoute(
  body: string | Uint8Array,
  headers: Record<string, string>,
  status = 200,
): IngestRoute {
  return (_req, res) => {
    res.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  };
}
