// Feeds modelled on what real publishers emit (agencies, WordPress, Blogger, Medium, Substack,
// YouTube, Reddit, Google News, government and podcast feeds, RSS 0.91/1.0, JSON Feed, legacy
// encodings, static-site generators, social networks, compressed responses) through the whole
// fetch → decode → parse → normalize path on loopback, each checked against a hand-written
// .expected.json next to it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, deflateRawSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOOPBACK_ALLOWED } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import {
  bytesRoute,
  feedAt,
  type IngestServer,
  startIngestServer,
  TEST_READ_OPTIONS,
} from "../support/ingest-server.ts";

const FIXTURES = join(import.meta.dirname, "../fixtures/feeds-extra");
const EXPECTED_SUFFIX = ".expected.json";

interface ExpectedItem {
  /** The exact id, or "hash" for an id derived from title and date. */
  id: string;
  title: string;
  link: string | null;
  published: string | null;
  /** The start of the summary text (the whole of it when short). */
  summary: string;
  language: string;
  /** When set, the whole summary must be at most this long (the cap on huge descriptions). */
  summaryMaxChars?: number;
}

interface ExpectedFeed {
  contentType: string;
  /**
   * Serve the fixture compressed: "gzip" and "br" as named, "deflate-raw" as the headerless
   * deflate stream old IIS servers send under `Content-Encoding: deflate`.
   */
  contentEncoding?: keyof typeof COMPRESSORS;
  dropped: number;
  items: ExpectedItem[];
}

const COMPRESSORS = {
  gzip: { header: "gzip", compress: gzipSync },
  br: { header: "br", compress: brotliCompressSync },
  "deflate-raw": { header: "deflate", compress: deflateRawSync },
} as const;

const fixtureNames = readdirSync(FIXTURES)
  .filter((name) => !name.endsWith(EXPECTED_SUFFIX))
  .sort();

function feedIdOf(name: string): string {
  return name.replace(/\.[a-z]+$/, "");
}

function expectedFor(name: string): ExpectedFeed {
  return JSON.parse(
    readFileSync(join(FIXTURES, `${feedIdOf(name)}${EXPECTED_SUFFIX}`), "utf8"),
  ) as ExpectedFeed;
}

let server: IngestServer;
// The test server listens on 127.0.0.1: loopback is allowed explicitly, as in the local run.
const reader = createFeedReader({ addressPolicy: LOOPBACK_ALLOWED });

beforeAll(async () => {
  server = await startIngestServer(
    Object.fromEntries(
      fixtureNames.map((name) => {
        const { contentType, contentEncoding } = expectedFor(name);
        const bytes = readFileSync(join(FIXTURES, name));
        const compressor = contentEncoding ? COMPRESSORS[contentEncoding] : undefined;
        const route = compressor
          ? bytesRoute(compressor.compress(bytes), {
              "content-type": contentType,
              "content-encoding": compressor.header,
            })
          : bytesRoute(bytes, { "content-type": contentType });
        return [`/extra/${name}`, route];
      }),
    ),
  );
});

afterAll(async () => {
  await server.close();
});

describe("real-world feed shapes through the whole ingest path", () => {
  it("has an expectation for every fixture", () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(25);
    for (const name of fixtureNames) expect(() => expectedFor(name), name).not.toThrow();
  });

  for (const name of fixtureNames) {
    it(`${name} yields the expected items`, async () => {
      // Prepare
      const expected = expectedFor(name);
      const feedId = feedIdOf(name);
      const { feed, state } = feedAt(server.url(`/extra/${name}`), { id: feedId });

      // Act
      const outcome = await reader.read(feed, state, TEST_READ_OPTIONS);

      // Assess
      if (outcome.kind !== "items") throw new Error(`${name}: ${JSON.stringify(outcome)}`);
      const origin = new URL(server.url("/")).origin;
      const atOrigin = (value: string | null) => value?.replaceAll("{origin}", origin) ?? null;
      for (const [index, item] of expected.items.entries()) {
        const summaryLength = outcome.items[index]?.summary.length ?? 0;
        if (item.summaryMaxChars !== undefined)
          expect(summaryLength, `${name} item ${index} summary length`).toBeLessThanOrEqual(
            item.summaryMaxChars,
          );
      }
      const got = outcome.items.map((item) => ({
        id: item.id,
        title: item.title,
        link: item.link ?? null,
        published: item.published ?? null,
        summary: item.summary.slice(0, 100),
        language: item.language,
      }));
      const want = expected.items.map(({ summaryMaxChars: _cap, ...item }, index) => ({
        ...item,
        id:
          item.id === "hash"
            ? expect.stringMatching(new RegExp(`^feed:${feedId}:item-sha256:[\\w-]{32}$`))
            : atOrigin(item.id),
        link: atOrigin(item.link),
        summary: item.summary.slice(0, 100),
        // Keeps the failure message readable when an item is missing.
        index,
      }));
      expect(got.map((item, index) => ({ ...item, index }))).toEqual(want);
      expect(outcome.dropped).toBe(expected.dropped);
    });
  }
});
