// Every feed of rss-parser's own test corpus (copied to tests/fixtures/rss-parser, MIT) through the
// whole fetch → decode → parse → normalize path on loopback, checked against what rss-parser's
// project expects from its parser — after our normalization, since we fold whitespace, strip HTML,
// canonicalise links and decode the encodings rss-parser gets wrong.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOOPBACK_ALLOWED } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import { canonicalLink, htmlToText } from "#shared/domain/normalize.ts";
import type { NewsItem } from "#shared/domain/types.ts";
import {
  bytesRoute,
  feedAt,
  type IngestServer,
  startIngestServer,
  TEST_READ_OPTIONS,
} from "../support/ingest-server.ts";

const CORPUS = join(import.meta.dirname, "../fixtures/rss-parser");
const inputs = readdirSync(join(CORPUS, "input")).sort();
const expectedOutputs = new Set(readdirSync(join(CORPUS, "output")));

/** Not feeds at all: the corpus keeps them to check that parsers refuse them. */
const NOT_FEEDS = new Set(["unrecognized.rss"]);

interface ExpectedItem {
  title?: unknown;
  link?: unknown;
  content?: unknown;
  contentSnippet?: unknown;
  summary?: unknown;
  isoDate?: unknown;
}

let server: IngestServer;
// The test server listens on 127.0.0.1: loopback is allowed explicitly, as in the local run.
const reader = createFeedReader({ addressPolicy: LOOPBACK_ALLOWED });

beforeAll(async () => {
  server = await startIngestServer(
    Object.fromEntries(
      inputs.map((name) => [
        `/corpus/${name}`,
        // No charset: the reader has to find the encoding in the document, as with many servers.
        bytesRoute(readFileSync(join(CORPUS, "input", name)), { "content-type": "application/xml" }),
      ]),
    ),
  );
});

afterAll(async () => {
  await server.close();
});

async function readCorpusFeed(name: string) {
  const { feed, state } = feedAt(server.url(`/corpus/${name}`), {
    id: name.replace(/[^A-Za-z0-9_.-]/g, "-"),
  });
  return reader.read(feed, state, TEST_READ_OPTIONS);
}

describe("rss-parser corpus through the whole ingest path", () => {
  it("holds the corpus with its licence", () => {
    expect(inputs.length).toBeGreaterThanOrEqual(31);
    expect(readFileSync(join(CORPUS, "LICENSE"), "utf8")).toMatch(/MIT/i);
  });

  for (const name of inputs) {
    it(`${name}: ${NOT_FEEDS.has(name) ? "is refused as not-a-feed" : "yields well-formed, stable items"}`, async () => {
      // Act
      const outcome = await readCorpusFeed(name);
      const again = await readCorpusFeed(name);

      // Assess
      if (NOT_FEEDS.has(name)) {
        expect(outcome).toMatchObject({ kind: "failed", reason: "not-a-feed" });
        return;
      }
      if (outcome.kind !== "items" || again.kind !== "items") throw new Error(JSON.stringify(outcome));
      expect(outcome.items.length + outcome.dropped).toBeGreaterThan(0);
      expect(again.items.map((i) => i.id)).toEqual(outcome.items.map((i) => i.id));
      expect(new Set(outcome.items.map((i) => i.id)).size).toBe(outcome.items.length);
      for (const item of outcome.items) expectWellFormed(item);

      if (!expectedOutputs.has(name.replace(/\.\w+$/, ".json"))) return;
      compareWithExpected(name, outcome.items, outcome.dropped);
    });
  }
});

function expectWellFormed(item: NewsItem): void {
  expect(item.id).toMatch(/^[\x21-\x22\x24-\x7e]{1,450}$/);
  expect(item.title || item.summary).not.toBe("");
  expect(item.title).not.toMatch(/<\/?[a-z][^>]*>|\p{Cc}|^\s|\s$|\s{2}/u);
  expect(item.summary).not.toMatch(/<\/?(?:p|div|a|img|br|script)\b[^>]*>|\p{Cc}|^\s|\s$|\s{2}/u);
  if (item.link !== undefined) expect(item.link).toMatch(/^https?:\/\/[^\s#]+$/);
  if (item.published !== undefined)
    expect(item.published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(item.language).toMatch(/^(?:[a-z]{2,3}|und)$/);
}

function compareWithExpected(name: string, items: NewsItem[], dropped: number): void {
  const output = JSON.parse(
    readFileSync(join(CORPUS, "output", name.replace(/\.\w+$/, ".json")), "utf8"),
  ) as {
    feed: { items: ExpectedItem[]; link?: string };
  };
  // rss-parser keeps FeedBurner's proxy link; we deliberately prefer the publisher's origLink.
  const origLinks = feedburnerOrigLinks(readFileSync(join(CORPUS, "input", name), "latin1"));
  const withOrigLinks = output.feed.items.map((item, index) => ({
    ...item,
    link: origLinks[index] ?? item.link,
  }));
  const expected = withOrigLinks.filter(
    (item) => textOf(item.title) || textOf(item.content) || textOf(item.summary),
  );
  expect(items.length).toBe(expected.length);
  expect(dropped).toBe(output.feed.items.length - expected.length);

  expected.forEach((want, index) => {
    const got = items[index];
    if (!got) throw new Error(`${name}: item ${index} missing`);
    const where = `${name} item ${index}`;
    const title = textOf(want.title);
    if (title !== undefined) expect(got.title, where).toMatch(pattern(htmlToText(title)));

    const link = textOf(want.link);
    const canonical = canonicalLink(link, output.feed.link);
    expect(got.link, where).toBe(canonical);

    const isoDate = textOf(want.isoDate);
    if (isoDate !== undefined) expect(got.published, where).toBe(new Date(isoDate).toISOString());
  });
}

/** Each entry's feedburner:origLink in document order, undefined where an entry has none. */
function feedburnerOrigLinks(document: string): (string | undefined)[] {
  const entries = document.split(/<(?:item|entry)[\s>]/).slice(1);
  return entries.map(
    (entry) => /<feedburner:origLink>\s*([^<]*?)\s*<\/feedburner:origLink>/.exec(entry)?.[1],
  );
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * The expected text as an exact pattern. rss-parser decodes non-UTF-8 feeds as UTF-8, so where
 * its output has U+FFFD our correctly decoded text has the real letter: any one character.
 */
function pattern(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\uFFFD/g, ".");
  return new RegExp(`^${escaped}$`, "u");
}
