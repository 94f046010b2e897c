// The bundled demo feeds (and the hostile cases) served over real HTTP on 127.0.0.1, so the local run
// exercises the whole fetch path: content types, charsets, ETag / If-None-Match → 304.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import { serveHostileFeed } from "./hostile-feeds.ts";

export const DEMO_FEEDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../demo-feeds");

const DemoCatalogSchema = z.object({
  feeds: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        file: z.string().regex(/^[\w.-]+$/),
        contentType: z.string(),
        language: z.string(),
        official: z.boolean(),
      }),
    )
    .min(1),
  subscribers: z.array(z.unknown()),
});
export type DemoCatalog = z.infer<typeof DemoCatalogSchema>;

export function loadDemoCatalog(dir = DEMO_FEEDS_DIR): DemoCatalog {
  return DemoCatalogSchema.parse(JSON.parse(readFileSync(join(dir, "feeds.json"), "utf8")));
}

/** The demo catalog as a config document (still unvalidated, like a user's file). */
export function demoConfig(baseUrl: string, catalog = loadDemoCatalog()): Record<string, unknown> {
  return {
    feeds: catalog.feeds.map((f) => ({
      id: f.id,
      name: f.name,
      url: `${baseUrl}/feeds/${f.file}`,
      language: f.language,
      official: f.official,
    })),
    subscribers: catalog.subscribers,
  };
}

export interface DemoFeedServer {
  baseUrl: string;
  /** Requests served so far, by path and status, for the run's summary and tests. */
  log: Array<{ path: string; status: number }>;
  close(): Promise<void>;
}

/** The newest date in the demo feeds; they are served shifted by whole days so they stay recent. */
const DEMO_NEWEST = Date.parse("2026-11-28T18:00:00Z");
const DAY_MS = 86_400_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Whole days to add so the newest demo item is no later than `now` (0 before then). */
export function demoDateShiftDays(now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - DEMO_NEWEST) / DAY_MS));
}

/**
 * Moves every RFC 822 and ISO 8601 date in a feed by whole days. Works on the raw bytes read as
 * latin1, so windows-1251 and EUC-KR files keep their bytes (dates are ASCII in every one of them).
 */
export function shiftFeedDates(body: Buffer, days: number): Buffer {
  if (days === 0) return body;
  const text = body
    .toString("latin1")
    .replace(
      /\b(\d{4})-(\d{2})-(\d{2})T/g,
      (_, y, m, d) => `${isoDay(Date.UTC(+y, +m - 1, +d) + days * DAY_MS)}T`,
    )
    .replace(
      /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b/g,
      (_, d, mon, y) => {
        const t = new Date(Date.UTC(+y, MONTHS.indexOf(mon), +d) + days * DAY_MS);
        return `${WEEKDAYS[t.getUTCDay()]}, ${String(t.getUTCDate()).padStart(2, "0")} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`;
      },
    );
  return Buffer.from(text, "latin1");
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The demo server's usual port: feed URLs then stay the same from run to run, so a run with --data
 * keeps each feed's state (ETag → 304 Not Modified). Taken → any free port.
 */
export const DEMO_PORT = 47_800;

function listenPreferring(server: import("node:http").Server, port: number): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code !== "EADDRINUSE" || port === 0) return fail(err);
      server.listen(0, "127.0.0.1");
    };
    server.on("error", onError);
    server.once("listening", () => {
      server.off("error", onError);
      done();
    });
    server.listen(port, "127.0.0.1");
  });
}

export async function startDemoFeedServer(dir = DEMO_FEEDS_DIR, now = new Date()): Promise<DemoFeedServer> {
  const catalog = loadDemoCatalog(dir);
  const shiftDays = demoDateShiftDays(now);
  const files = new Map(
    catalog.feeds.map((f) => {
      const body = shiftFeedDates(readFileSync(join(dir, f.file)), shiftDays);
      const etag = `"${createHash("sha1").update(body).digest("hex").slice(0, 16)}"`;
      return [`/feeds/${f.file}`, { body, etag, contentType: f.contentType }];
    }),
  );
  const log: DemoFeedServer["log"] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.on("finish", () => log.push({ path: req.url ?? "", status: res.statusCode }));
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const file = files.get(path);
    if (file) {
      if (req.headers["if-none-match"] === file.etag) {
        res.writeHead(304, { ETag: file.etag }).end();
        return;
      }
      res.writeHead(200, {
        "Content-Type": file.contentType,
        ETag: file.etag,
        "Content-Length": file.body.length,
      });
      res.end(file.body);
      return;
    }
    if (serveHostileFeed(req, res)) return;
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
  });
  // Hostile cases (a drip, a slow body) keep sockets open: close() must not wait for them.
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await listenPreferring(server, DEMO_PORT);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
