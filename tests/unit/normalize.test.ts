import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalLink,
  guessLanguage,
  htmlToText,
  itemId,
  normalizeFeed,
  parseFeedDate,
  primaryLanguage,
  type RawFeed,
  type RawFeedItem,
  truncate,
} from "#shared/domain/normalize.ts";

const CONTEXT = { feedId: "tass-en", feedUrl: "https://feeds.example/world.xml" };

function feedOf(items: RawFeedItem[], extra: Partial<RawFeed> = {}): RawFeed {
  return { link: "https://news.example/", items, ...extra };
}

describe("htmlToText", () => {
  it.each([
    ["<p>Putin&nbsp;meets <b>Kim</b></p><p>In Pyongyang</p>", "Putin meets Kim In Pyongyang"],
    ["Tom &amp; Jerry &lt;3 &#x41;&#66;", "Tom & Jerry <3 AB"],
    ["<script>alert(1)</script>Text<style>p{color:red}</style> here", "Text here"],
    ["<noscript>enable js</noscript><svg><text>logo</text></svg>Visible", "Visible"],
    ["  line one\n\n\tline two  ", "line one line two"],
    ["a\u0000b\u0007c\u0081d", "a b c d"],
    ["safe \u202Egnp.exe and \u200Bzero", "safe gnp.exe and zero"],
    ["&lt;p&gt;escaped &amp;amp; twice&lt;/p&gt;", "escaped & twice"],
    ["<unclosed", ""],
    // <object> holds fallback content, shown wherever no plugin runs; an unclosed one hides nothing.
    ['safe<object classid="clsid:x"><param name="a"> <b>description</b>', "safe description"],
    // Markup quoted in <code> is text; a DOCTYPE quoted in a summary is too.
    ["<code>&lt;br /></code>", "<br />"],
    [" <!DOCTYPE ", "<!DOCTYPE"],
    // Emoji escaped as UTF-16 halves by PHP and Java writers; a lone half means nothing.
    ["<p>&#55357;&#56560; &#xD83C;&#xDDF7;&#xd83c;&#xddfa; news</p>", "📰 🇷🇺 news"],
    ["", ""],
  ])("%j → %j", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe("text repair", () => {
  it.each([
    ["don\u0092t", "don\u2019t"],
    ["\u0093quoted\u0094 \u0080 5", "\u201cquoted\u201d \u20ac 5"],
    ["&#226;&#128;&#166; and &acirc;&#128;&brvbar;", "\u2026 and \u2026"],
    ["CafÃ© Ã\u00a0 Pyongyang Â£5", "Café à Pyongyang £5"],
    ["â€œPartnershipâ€\u009d", "\u201cPartnership\u201d"],
  ])("%j → %j", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it.each(["São Paulo", "Ângela Ñandú", "Â 2026 â 1 Ã"])("leaves real Latin-1 text alone: %j", (text) => {
    expect(htmlToText(text)).toBe(text);
  });
});

describe("canonicalLink", () => {
  it.each([
    [
      "HTTPS://News.Example./a/b?utm_source=rss&id=7&fbclid=x&gclid=y#comments",
      "https://news.example/a/b?id=7",
    ],
    ["/world/1?utm_medium=feed", "https://news.example/world/1"],
    ["../up", "https://news.example/up"],
    ["https://news.example/q?", "https://news.example/q"],
    ["\u200bhttps://news.example/zw\u200e", "https://news.example/zw"],
    ["&lt;https://news.example/quoted&gt;", "https://news.example/quoted"],
    ["https://news.example/h#", "https://news.example/h"],
    ["//cdn.example/x", "https://cdn.example/x"],
    ["http://user:secret@news.example:80/a", "http://news.example/a"],
    ["https://news.example/search?q=a%20b&x", "https://news.example/search?q=a%20b&x"],
    ["https://news.example/view?id=7&amp;page=2", "https://news.example/view?id=7&page=2"],
    ["www.other.example/story/1", "http://www.other.example/story/1"],
  ])("%s → %s", (raw, canonical) => {
    expect(canonicalLink(raw, "https://news.example/section/")).toBe(canonical);
  });

  it.each([
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "data:text/html,<script>",
    "mailto:a@b.c",
    "ftp://files.example/x",
    "file:///etc/passwd",
    "vbscript:x",
    "http://",
    "",
  ])("drops %j", (raw) => {
    expect(canonicalLink(raw, "https://news.example/")).toBeUndefined();
  });

  it("cannot resolve a relative link without a base", () => {
    expect(canonicalLink("/a")).toBeUndefined();
    expect(canonicalLink("/a", "javascript:void(0)")).toBeUndefined();
  });
});

describe("parseFeedDate", () => {
  it.each([
    ["Wed, 19 Jun 2024 10:00:00 GMT", "2024-06-19T10:00:00.000Z"],
    ["Wed, 19 Jun 2024 13:00:00 +0300", "2024-06-19T10:00:00.000Z"],
    ["19 Jun 2024 06:00 EDT", "2024-06-19T10:00:00.000Z"],
    ["Wed, 19 Jun 24 19:00:00 KST", "2024-06-19T10:00:00.000Z"],
    ["Wednesday, 19-Jun-2024 10:00:00 UTC", "2024-06-19T10:00:00.000Z"],
    ["Wed,19 Jun 2024 10:00:00 +00:00", "2024-06-19T10:00:00.000Z"],
    ["Wed, 19 Jun 2024 10:00:00 +0000 (UTC)", "2024-06-19T10:00:00.000Z"],
    ["  Wed, 19 Jun 2024 10:00:00 GMT\r\n   ", "2024-06-19T10:00:00.000Z"],
    ["Qua, 19 Jun 2024 07:00:00 -0300", "2024-06-19T10:00:00.000Z"],
    ["Mi, 19 Mär 2024 10:00:00 +0100", "2024-03-19T09:00:00.000Z"],
    ["Tue, 18 Jun 2024 23:05 MSK", "2024-06-18T20:05:00.000Z"],
    ["2024-06-19T10:00:00Z", "2024-06-19T10:00:00.000Z"],
    ["2024-06-19T19:00:00+09:00", "2024-06-19T10:00:00.000Z"],
    ["2024-06-19T10:00:00.123456Z", "2024-06-19T10:00:00.123Z"],
    ["2024-06-19 10:00:00", "2024-06-19T10:00:00.000Z"],
    ["2024-06-19T13:00+0300", "2024-06-19T10:00:00.000Z"],
    ["2024-06-19", "2024-06-19T00:00:00.000Z"],
    ["June 19, 2024 10:00 AM", "2024-06-19T10:00:00.000Z"],
    ["Jun 19, 2024 10:00 PM EDT", "2024-06-20T02:00:00.000Z"],
    ["November 19, 2024 10:00 AM", "2024-11-19T10:00:00.000Z"],
    ["jeu., 18 juil. 2024 12:00:00 +0200", "2024-07-18T10:00:00.000Z"],
    ["mer., 19 juin 2024 12:00:00 +0200", "2024-06-19T10:00:00.000Z"],
    ["lun., 16 déc. 2024 11:00:00 +0100", "2024-12-16T10:00:00.000Z"],
    ["Ср, 19 июня 2024 13:00:00 +0300", "2024-06-19T10:00:00.000Z"],
    ["2024/06/19 19:00:00 +0900", "2024-06-19T10:00:00.000Z"],
    ["19.06.2024 10:00", "2024-06-19T10:00:00.000Z"],
    ["Wed, 19 Jun 2024 10:00:00 +0000 GMT", "2024-06-19T10:00:00.000Z"],
    // Unix time in pubDate, as feedparser and browsers read it: seconds, or milliseconds.
    ["1718791200", "2024-06-19T10:00:00.000Z"],
    ["1718791200000", "2024-06-19T10:00:00.000Z"],
    // Korean servers: am/pm before the time, 년/월/일, Korea's time unless a zone is given.
    ["2024-06-19 오후 7:00:00", "2024-06-19T10:00:00.000Z"],
    ["2024-06-19 오전 7:00:00", "2024-06-18T22:00:00.000Z"],
    ["2024년 06월 19일  19:00:00", "2024-06-19T10:00:00.000Z"],
    ["2024년 6월 19일 오후 1:00 +0300", "2024-06-19T10:00:00.000Z"],
    // Greek and Hungarian months; ISO 8601 with the month spelled out.
    ["Τετ, 19 Ιούν 2024 13:00:00 +0300", "2024-06-19T10:00:00.000Z"],
    ["Κυρ, 11 Ιούλ 2004 12:00:00 EST", "2004-07-11T17:00:00.000Z"],
    ["2004-július-13T9:15-05:00", "2004-07-13T14:15:00.000Z"],
    // asctime, and Twitter's asctime with a zone before the year.
    ["Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06.000Z"],
    ["Sun Jul 15 01:16:00 +0000 2012", "2012-07-15T01:16:00.000Z"],
    // A comma after the month, a weekday before an ISO date, the tz database's name for UTC.
    ["Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00.000Z"],
    ["Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53.000Z"],
    ["Wed, 19 Aug 2009 18:28:00 Etc/GMT", "2009-08-19T18:28:00.000Z"],
    // US zone names without the standard/daylight letter.
    ["Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00.000Z"],
    ["Mon, 26 January 2004 16:31:00 PT", "2004-01-27T00:31:00.000Z"],
    // Truncated ISO 8601: year, year-month, ordinal day, two-digit years.
    ["2003", "2003-01-01T00:00:00.000Z"],
    ["2003-12", "2003-12-01T00:00:00.000Z"],
    ["2003-335", "2003-12-01T00:00:00.000Z"],
    ["03-12-31", "2003-12-31T00:00:00.000Z"],
    ["-03-12", "2003-12-01T00:00:00.000Z"],
    ["-0312", "2003-12-01T00:00:00.000Z"],
    ["2003-012-31T10:14:55+00:00", "2003-12-31T10:14:55.000Z"],
  ])("%j → %s", (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });

  it.each([
    undefined,
    "",
    "yesterday",
    "Invalid Date",
    "Wed, 31 Jun 2024 10:00:00 GMT",
    "2024-13-01T00:00:00Z",
    "2024-06-19T25:00:00Z",
    "Wed, 19 Foo 2024 10:00:00 GMT",
    "Wed, 19 Jun 2024 10:00:00 XYZT",
    // Digits that are not a plausible Unix time (before 2000 or after 2100) stay undated.
    "0123456789",
    "9999999999",
    "20240619",
    "031231",
    "03335",
    // An offset on a date without a time, and an ordinal day past the year's end.
    "2013-01-27-01",
    "2003-367",
  ])("gives undefined for %j", (raw) => {
    expect(parseFeedDate(raw)).toBeUndefined();
  });
});

describe("language", () => {
  it.each([
    ["en-US", "en"],
    ["ru_RU", "ru"],
    [" KO ", "ko"],
    ["und", undefined],
    ["english", undefined],
    [undefined, undefined],
  ])("primaryLanguage(%j) = %j", (tag, primary) => {
    expect(primaryLanguage(tag)).toBe(primary);
  });

  it.each([
    ["Путин прибыл в Пхеньян", "ru"],
    ["푸틴, 평양 도착", "ko"],
    ["Putin arrives in Pyongyang", "en"],
    ["普京抵达平壤", "und"],
    ["12345 !!!", "und"],
    ["Путин (Putin) прибыл в Пхеньян для переговоров с Ким Чен Ыном", "ru"],
  ])("guessLanguage(%j) = %s", (text, language) => {
    expect(guessLanguage(text)).toBe(language);
  });
});

describe("truncate", () => {
  it("cuts at a word boundary, marks the cut and never splits a surrogate pair", () => {
    expect(truncate("alpha beta gamma delta epsilon", 25)).toBe("alpha beta gamma delta…");
    expect(truncate("abcdefghijklmnopqrstuvwxyz", 10)).toBe("abcdefghi…");
    expect(truncate("short", 15)).toBe("short");
    const emoji = `${"x".repeat(8)}😀😀😀`;
    const cut = truncate(emoji, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe("itemId", () => {
  it("uses a URL GUID as a global id, canonicalised, so two feeds agree on it", () => {
    const a = itemId({ feedId: "a", guid: "https://News.example/x?utm_source=a", title: "t" });
    const b = itemId({ feedId: "b", guid: "https://news.example/x#top", title: "t" });
    expect(a).toBe("https://news.example/x");
    expect(b).toBe(a);
  });

  it("scopes an opaque GUID to its feed so '1' in two feeds does not collide", () => {
    expect(itemId({ feedId: "a", guid: "1", title: "t" })).toBe("feed:a:1");
    expect(itemId({ feedId: "b", guid: "1", title: "t" })).toBe("feed:b:1");
  });

  it("keeps urn: and tag: GUIDs global", () => {
    expect(itemId({ feedId: "a", guid: "urn:uuid:1234", title: "t" })).toBe("urn:uuid:1234");
    expect(itemId({ feedId: "a", guid: "TAG:example.com,2024:1", title: "t" })).toBe(
      "tag:example.com,2024:1",
    );
  });

  it("falls back to the link, then to a feed-scoped hash of title and date", () => {
    expect(itemId({ feedId: "a", link: "https://news.example/x", title: "t" })).toBe(
      "https://news.example/x",
    );
    const hashed = itemId({ feedId: "a", title: "Title", published: "2024-06-19T10:00:00.000Z" });
    expect(hashed).toMatch(/^feed:a:item-sha256:[\w-]{32}$/);
    expect(itemId({ feedId: "a", title: "Title", published: "2024-06-19T10:00:00.000Z" })).toBe(hashed);
    expect(itemId({ feedId: "a", title: "Title" })).not.toBe(hashed);
  });

  it("hashes ids that are too long or unsafe as key parts", () => {
    const long = itemId({ feedId: "a", guid: `https://news.example/${"x".repeat(600)}`, title: "t" });
    const spaced = itemId({ feedId: "a", guid: "id with spaces#and hash", title: "t" });
    expect(long).toMatch(/^sha256:[\w-]{32}$/);
    expect(spaced).toMatch(/^feed:a:sha256:[\w-]{32}$/);
  });
});

describe("normalizeFeed", () => {
  it("reads fields escaped once as plain text, markup included", () => {
    const feed = feedOf([
      { title: "Why &lt;div&gt; soup", summaryHtml: "&lt;b&gt;bold&lt;/b&gt;", escapedOnce: ["title"] },
    ]);
    expect(normalizeFeed(feed, CONTEXT).items[0]).toMatchObject({ title: "Why <div> soup", summary: "bold" });
  });

  it("resolves an Atom id written as a path against the base, and leaves an RSS GUID as written", () => {
    const { items } = normalizeFeed(
      feedOf([
        { guid: "/relative/link", guidIsIri: true, title: "Atom" },
        { guid: "/news/45", title: "RSS" },
      ]),
      CONTEXT,
    );
    expect(items.map((item) => item.id)).toEqual([
      "https://news.example/relative/link",
      "feed:tass-en:/news/45",
    ]);
  });

  it("turns raw entries into NewsItems with text, canonical links, dates and languages", () => {
    // Prepare
    const feed = feedOf(
      [
        {
          guid: "42",
          title: "<b>Putin</b> &amp; Kim",
          summaryHtml: "<p>Treaty&nbsp;signed</p>",
          link: "/world/42?utm_campaign=x",
          published: "Wed, 19 Jun 2024 10:00:00 GMT",
        },
        { title: "Путин в Пхеньяне", link: "javascript:alert(1)" },
        { contentHtml: "<p>Only content</p>", language: "ko-KR" },
      ],
      { language: "en-gb" },
    );
    // Act
    const { items, dropped } = normalizeFeed(feed, CONTEXT);
    // Assess
    expect(dropped).toBe(0);
    expect(items[0]).toEqual({
      id: "feed:tass-en:42",
      feedId: "tass-en",
      title: "Putin & Kim",
      summary: "Treaty signed",
      link: "https://news.example/world/42",
      published: "2024-06-19T10:00:00.000Z",
      language: "en",
    });
    expect(items[1]).toMatchObject({ title: "Путин в Пхеньяне", language: "en" });
    expect(items[1]?.link).toBeUndefined();
    expect(items[2]).toMatchObject({ title: "", summary: "Only content", language: "ko" });
  });

  it("ranks the item's language over the configured one, that over the feed's, and guesses last", () => {
    const feed = feedOf([{ title: "Путин" }, { title: "Putin", language: "de" }], { language: "ko" });
    expect(
      normalizeFeed(feed, { ...CONTEXT, configuredLanguage: "ru" }).items.map((i) => i.language),
    ).toEqual(["ru", "de"]);
    expect(normalizeFeed(feed, CONTEXT).items.map((i) => i.language)).toEqual(["ko", "de"]);
    expect(normalizeFeed(feedOf([{ title: "Путин" }]), CONTEXT).items[0]?.language).toBe("ru");
  });

  it("drops and counts items with neither title nor summary, and repeats", () => {
    const feed = feedOf([
      { title: "  ", summaryHtml: "<p> </p>" },
      { link: "https://news.example/only-link" },
      { title: "Kept", link: "https://news.example/k" },
      { title: "Kept again", link: "https://news.example/k?utm_source=dup" },
    ]);
    const { items, dropped } = normalizeFeed(feed, CONTEXT);
    expect(items.map((i) => i.title)).toEqual(["Kept"]);
    expect(dropped).toBe(3);
  });

  it("distrusts GUIDs shared by several entries or equal to the site address", () => {
    const feed = feedOf([
      { guid: "same", title: "A", link: "https://news.example/a" },
      { guid: "same", title: "B", link: "https://news.example/b" },
      { guid: "https://news.example/", title: "C", link: "https://news.example/c" },
    ]);
    const ids = normalizeFeed(feed, CONTEXT).items.map((i) => i.id);
    expect(ids).toEqual(["https://news.example/a", "https://news.example/b", "https://news.example/c"]);
  });

  it("does not take the site's own address as the id of items that all link to it", () => {
    // Prepare
    const feed = feedOf(
      [
        { title: "Statement", link: "https://news.example/" },
        { title: "Briefing", link: "https://news.example/" },
      ],
      { link: "https://news.example/" },
    );

    // Act
    const { items, dropped } = normalizeFeed(feed, CONTEXT);

    // Assess
    expect(dropped).toBe(0);
    expect(items.map((i) => i.link)).toEqual(["https://news.example/", "https://news.example/"]);
    expect(items.every((i) => i.id.startsWith("feed:tass-en:item-sha256:"))).toBe(true);
    expect(new Set(items.map((i) => i.id)).size).toBe(2);
  });

  it("drops dates later than notAfter, falling back to a plausible updated date", () => {
    // Prepare
    const feed = feedOf([
      { title: "Typo", published: "Sat, 28 Nov 2062 10:00:00 GMT" },
      { title: "Fallback", published: "2062-11-28T10:00:00Z", updated: "2026-11-28T09:00:00Z" },
      { title: "Fine", published: "2026-11-28T09:00:00Z" },
    ]);

    // Act
    const { items } = normalizeFeed(feed, { ...CONTEXT, notAfter: "2026-11-30T00:00:00.000Z" });

    // Assess
    expect(items.map((i) => i.published)).toEqual([
      undefined,
      "2026-11-28T09:00:00.000Z",
      "2026-11-28T09:00:00.000Z",
    ]);
  });

  it("caps title and summary length", () => {
    const feed = feedOf([{ title: "word ".repeat(300), summaryHtml: "long ".repeat(2000) }]);
    const [item] = normalizeFeed(feed, CONTEXT).items;
    expect(item?.title.length).toBeLessThanOrEqual(500);
    expect(item?.summary.length).toBeLessThanOrEqual(4000);
    expect(item?.title.endsWith("…")).toBe(true);
  });

  it("links an item without <link> to its permalink GUID", () => {
    const [withGuid, opaque] = normalizeFeed(
      feedOf([
        { guid: "https://news.example/p/1?utm_source=x", title: "a" },
        { guid: "p-2", title: "b" },
      ]),
      CONTEXT,
    ).items;
    expect(withGuid).toMatchObject({ id: "https://news.example/p/1", link: "https://news.example/p/1" });
    expect(opaque?.link).toBeUndefined();
  });

  it("resolves relative links against the feed URL when the feed has no site link", () => {
    const [item] = normalizeFeed({ items: [{ title: "x", link: "a/b" }] }, CONTEXT).items;
    expect(item?.link).toBe("https://feeds.example/a/b");
  });
});

describe("properties", () => {
  const rawItem = fc.record(
    {
      guid: fc.string(),
      link: fc.oneof(
        fc.string(),
        fc.webUrl(),
        fc.constantFrom("javascript:alert(1)", "data:,x", "mailto:x@y", "//x"),
      ),
      title: fc.string({ unit: "grapheme" }),
      summaryHtml: fc.oneof(fc.string(), fc.string({ unit: "binary" })),
      contentHtml: fc.string(),
      published: fc.oneof(
        fc.string(),
        fc.date({ noInvalidDate: false }).map((d) => String(d)),
      ),
      language: fc.string(),
    },
    { requiredKeys: [] },
  );
  const rawFeed = fc.record({
    link: fc.option(fc.oneof(fc.string(), fc.webUrl()), { nil: undefined }),
    language: fc.option(fc.string(), { nil: undefined }),
    items: fc.array(rawItem, { maxLength: 8 }),
  });

  it("never throws and only ever yields http(s) links, valid dates and safe ids", () => {
    fc.assert(
      fc.property(rawFeed, (feed) => {
        const { items, dropped } = normalizeFeed(feed, CONTEXT);
        expect(items.length + dropped).toBe(feed.items.length);
        for (const item of items) {
          if (item.link !== undefined) expect(item.link).toMatch(/^https?:\/\//);
          if (item.published !== undefined) expect(Number.isNaN(Date.parse(item.published))).toBe(false);
          expect(item.id).toMatch(/^[\x21-\x22\x24-\x7e]{1,450}$/);
          expect(item.title + item.summary).not.toMatch(/\p{Cc}/u);
        }
        expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
      }),
      { numRuns: 300 },
    );
  });

  it("canonicalLink is idempotent and never returns a non-http(s) URL", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withFragments: true, withQueryParameters: true })),
        (raw) => {
          const link = canonicalLink(raw, "https://base.example/dir/");
          if (link === undefined) return;
          expect(link).toMatch(/^https?:\/\/[^#]*$/);
          expect(canonicalLink(link)).toBe(link);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("parseFeedDate round-trips every real date written as RFC 822 and ISO 8601", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1971-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }),
        (date) => {
          const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
          expect(parseFeedDate(whole.toUTCString())).toBe(whole.toISOString());
          expect(parseFeedDate(date.toISOString())).toBe(date.toISOString());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("text and link edge cases", () => {
  it("keeps a stray < in plain text instead of reading it as a tag", () => {
    expect(htmlToText("a<b")).toBe("a<b");
    expect(htmlToText("x < y and z<w then <b>bold</b>")).toBe("x < y and z<w then bold");
  });

  it("keeps the encoding of the parameters that stay when trackers go", () => {
    expect(canonicalLink("https://en.yna.co.kr/view/A1?section=nk/nk&utm_source=rss&q=a%2Fb+c")).toBe(
      "https://en.yna.co.kr/view/A1?section=nk/nk&q=a%2Fb+c",
    );
    expect(canonicalLink("https://x.example/a?UTM_Medium=rss&fbclid=1")).toBe("https://x.example/a");
  });

  it("unwraps Google's click-tracking redirect to the article", () => {
    const raw =
      "https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fwww.Example.com%2Fa%3Futm_source%3Dx%26id%3D1&ct=ga&cd=CAE&usg=AOv";
    expect(canonicalLink(raw)).toBe("https://www.example.com/a?id=1");
    const news = "https://news.google.com/rss/articles/CBMiq?oc=5";
    expect(canonicalLink(news)).toBe(news);
  });
});
