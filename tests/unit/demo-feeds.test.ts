// The bundled demo feeds are the showcase of `npm start` and the ground truth other tests score against:
// they must decode with the charset the demo server declares, parse, and agree with labels.json.
import { readFileSync } from "node:fs";
import { MIMEType } from "node:util";
import Parser from "rss-parser";
import { describe, expect, it } from "vitest";
import { type DemoCatalog, loadDemoCatalog } from "#shared/adapters/local/demo-feed-server.ts";
import { AppConfigSchema } from "#shared/config/schema.ts";
import { defaultWatchList } from "#shared/domain/watchlist/index.ts";
import { type DemoLabel, loadDemoLabels } from "../support/demo-labels.ts";

type DemoFeed = DemoCatalog["feeds"][number];

const demoDir = new URL("../../shared/demo-feeds/", import.meta.url);

interface ParsedItem {
  feed: string;
  key: string;
  title: string;
  link?: string;
  guid?: string;
  published: number;
}

const manifest = loadDemoCatalog();
const labels = loadDemoLabels();
const WEEK_START = Date.parse("2026-11-23T00:00:00Z");
const WEEK_END = Date.parse("2026-11-29T00:00:00Z");
const HOUR = 3_600_000;

function headerCharset(contentType: string): string | undefined {
  return new MIMEType(contentType).params.get("charset") ?? undefined;
}

function prologEncoding(bytes: Uint8Array): string | undefined {
  // The prolog is ASCII in every encoding these feeds use, so latin1 reads it safely.
  const head = Buffer.from(bytes.subarray(0, 200)).toString("latin1");
  return /^<\?xml[^>]*\sencoding=["']([^"']+)["']/.exec(head)?.[1];
}

/** The charset a reader must use: the HTTP header wins, then the XML prolog, then UTF-8 (XML's default). */
function declaredCharset(feed: DemoFeed, bytes: Uint8Array): string {
  return (headerCharset(feed.contentType) ?? prologEncoding(bytes) ?? "utf-8").toLowerCase();
}

function decodeStrict(bytes: Uint8Array, charset: string): string {
  return new TextDecoder(charset, { fatal: true }).decode(bytes);
}

async function parseFeed(feed: DemoFeed): Promise<ParsedItem[]> {
  const bytes = readFileSync(new URL(feed.file, demoDir));
  const text = decodeStrict(bytes, declaredCharset(feed, bytes));
  const parsed = await new Parser<Record<string, never>, { id?: string }>()
    .parseString(text)
    .catch((error: unknown) => {
      throw new Error(`demo feed ${feed.id} (${feed.file}) does not parse`, { cause: error });
    });
  return parsed.items.map((item) => ({
    feed: feed.id,
    key: item.guid ?? item.id ?? item.link ?? "",
    title: item.title ?? "",
    link: item.link,
    guid: item.guid ?? item.id,
    published: Date.parse(item.isoDate ?? item.pubDate ?? ""),
  }));
}

const parsedByFeed = new Map(
  await Promise.all(manifest.feeds.map(async (feed) => [feed.id, await parseFeed(feed)] as const)),
);
const allItems = [...parsedByFeed.values()].flat();

describe("demo feed manifest", () => {
  it("lists at least five feeds in English, Russian and Korean, one of them official", () => {
    // Prepare
    const languages = new Set(manifest.feeds.map((feed) => feed.language));

    // Assess
    expect(manifest.feeds.length).toBeGreaterThanOrEqual(5);
    expect([...languages].sort()).toEqual(expect.arrayContaining(["en", "ko", "ru"]));
    expect(manifest.feeds.some((feed) => feed.official)).toBe(true);
    expect(new Set(manifest.feeds.map((feed) => feed.id)).size).toBe(manifest.feeds.length);
  });

  it("is a valid app config once each feed gets its loopback URL", () => {
    // Prepare
    const raw = {
      feeds: manifest.feeds.map((feed) => ({
        id: feed.id,
        url: `http://127.0.0.1:8080/${feed.file}`,
        name: feed.name,
        language: feed.language,
        official: feed.official,
      })),
      subscribers: manifest.subscribers,
    };

    // Act
    const result = AppConfigSchema.safeParse(raw);

    // Assess
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.data?.subscribers.map((s) => s.protocol).sort()).toEqual(
      expect.arrayContaining(["email", "sms"]),
    );
  });

  it("lets subscribers filter only on entities the default watch list knows", () => {
    // Prepare
    const known = new Set<string>(["russia", "dprk", "topic", ...defaultWatchList.entities.map((e) => e.id)]);
    const config = AppConfigSchema.parse({
      feeds: [{ id: "any", url: "http://127.0.0.1/any.xml" }],
      subscribers: manifest.subscribers,
    });

    // Act
    const unknown = config.subscribers.flatMap((s) => s.entities).filter((entity) => !known.has(entity));

    // Assess
    expect(unknown).toEqual([]);
  });

  it("declares legacy charsets both ways: one in the HTTP header, one only in the XML prolog", () => {
    // Prepare
    const legacy = manifest.feeds.filter((feed) => {
      const bytes = readFileSync(new URL(feed.file, demoDir));
      return declaredCharset(feed, bytes) !== "utf-8";
    });

    // Act
    const headerDeclared = legacy.filter((feed) => headerCharset(feed.contentType) !== undefined);
    const prologOnly = legacy.filter((feed) => headerCharset(feed.contentType) === undefined);

    // Assess
    expect(headerDeclared.length).toBeGreaterThanOrEqual(1);
    expect(prologOnly.length).toBeGreaterThanOrEqual(1);
  });
});

describe.each(manifest.feeds)("demo feed $id", (feed) => {
  const bytes = readFileSync(new URL(feed.file, demoDir));

  it("decodes without a single invalid byte in its declared charset, which its prolog agrees with", () => {
    // Prepare
    const charset = declaredCharset(feed, bytes);
    const prolog = prologEncoding(bytes)?.toLowerCase() ?? "utf-8";

    // Act
    const decode = () => decodeStrict(bytes, charset);

    // Assess
    expect(decode).not.toThrow();
    expect(new TextDecoder(prolog).encoding).toBe(new TextDecoder(charset).encoding);
    expect(bytes[0]).toBe("<".charCodeAt(0));
  });

  it("yields items whose titles are written in the feed's language", () => {
    // Prepare
    const script = {
      en: /^[\p{Script=Latin}\p{N}\p{P}\p{S}\s]+$/u,
      ru: /\p{Script=Cyrillic}/u,
      ko: /\p{Script=Hangul}/u,
    }[feed.language as "en" | "ru" | "ko"];
    const items = parsedByFeed.get(feed.id) ?? [];

    // Assess
    expect(items.length).toBeGreaterThanOrEqual(5);
    for (const item of items) expect(item.title).toMatch(script);
  });

  it("dates every item in the demo week", () => {
    // Prepare
    const items = parsedByFeed.get(feed.id) ?? [];

    // Assess
    for (const item of items) {
      expect(item.published).toBeGreaterThanOrEqual(WEEK_START);
      expect(item.published).toBeLessThan(WEEK_END);
    }
  });
});

describe("legacy-encoded demo feeds", () => {
  const legacy = manifest.feeds.filter((feed) => {
    const bytes = readFileSync(new URL(feed.file, demoDir));
    return declaredCharset(feed, bytes) !== "utf-8";
  });

  it.each(legacy)("$id holds real legacy bytes, identical to its UTF-8 source", (feed) => {
    // Prepare
    const bytes = readFileSync(new URL(feed.file, demoDir));
    const source = readFileSync(new URL(feed.file.replace(/\.\w+$/, ".utf8.txt"), demoDir), "utf8");

    // Act
    const decoded = decodeStrict(bytes, declaredCharset(feed, bytes));

    // Assess
    expect(() => decodeStrict(bytes, "utf-8")).toThrow();
    expect(decoded).toBe(source);
  });
});

describe("labels.json", () => {
  it("labels every feed item exactly once and nothing else", () => {
    // Prepare
    const fromFeeds = allItems.map((item) => `${item.feed} ${item.key}`).sort();
    const fromLabels = labels.map((label) => `${label.feed} ${label.guidOrLink}`).sort();

    // Assess
    expect(new Set(fromFeeds).size).toBe(fromFeeds.length);
    expect(fromLabels).toEqual(fromFeeds);
  });

  it("carries the same titles as the feeds", () => {
    // Prepare
    const titles = new Map(allItems.map((item) => [`${item.feed} ${item.key}`, item.title]));

    // Assess
    for (const label of labels) expect(label.title).toBe(titles.get(`${label.feed} ${label.guidOrLink}`));
  });

  it("holds at least 60 items, about a third of them relevant", () => {
    // Prepare
    const relevant = labels.filter((label) => label.relevant).length;

    // Act
    const share = relevant / labels.length;

    // Assess
    expect(labels.length).toBeGreaterThanOrEqual(60);
    expect(share).toBeGreaterThanOrEqual(0.25);
    expect(share).toBeLessThanOrEqual(0.45);
  });

  it("names stories only for relevant items", () => {
    // Assess
    for (const label of labels.filter((l) => l.story !== null)) expect(label.relevant).toBe(true);
  });

  it("tells each story through 2–4 outlets in more than one language within 48 hours", () => {
    // Prepare
    const languageOf = new Map(manifest.feeds.map((feed) => [feed.id, feed.language]));
    const publishedOf = new Map(allItems.map((item) => [`${item.feed} ${item.key}`, item.published]));
    const stories = new Map<string, DemoLabel[]>();
    for (const label of labels) {
      if (label.story !== null) stories.set(label.story, [...(stories.get(label.story) ?? []), label]);
    }

    // Assess
    expect(stories.size).toBeGreaterThanOrEqual(3);
    for (const [story, reports] of stories) {
      const outlets = new Set(reports.map((r) => r.feed));
      const languages = new Set(reports.map((r) => languageOf.get(r.feed)));
      const times = reports.map((r) => publishedOf.get(`${r.feed} ${r.guidOrLink}`) ?? Number.NaN);
      expect(outlets.size, story).toBe(reports.length);
      expect(outlets.size, story).toBeGreaterThanOrEqual(2);
      expect(outlets.size, story).toBeLessThanOrEqual(4);
      expect(languages.size, story).toBeGreaterThanOrEqual(2);
      expect(Math.max(...times) - Math.min(...times), story).toBeLessThanOrEqual(48 * HOUR);
    }
  });

  it("has the official feed confirm at least one story that others report too", () => {
    // Prepare
    const official = new Set(manifest.feeds.filter((feed) => feed.official).map((feed) => feed.id));

    // Act
    const confirmed = labels.filter((label) => official.has(label.feed) && label.story !== null);

    // Assess
    expect(confirmed.length).toBeGreaterThanOrEqual(1);
  });
});

describe("realistic feed details", () => {
  it("include a feed without GUIDs, a relative link and tracking parameters", () => {
    // Prepare
    const feedsWithoutGuids = [...parsedByFeed.values()].filter((items) => items.every((i) => !i.guid));
    const links = allItems.map((item) => item.link ?? "");

    // Assess
    expect(feedsWithoutGuids.length).toBeGreaterThanOrEqual(1);
    expect(links.some((link) => link.startsWith("/"))).toBe(true);
    expect(links.some((link) => /[?&]utm_source=/.test(link))).toBe(true);
  });
});
