// A news search feed (Google News) carries many outlets: each item names its own in <source>, and
// a story counts those outlets, not the search feed. Fixture shaped like Google News RSS search.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeBody } from "#shared/adapters/feed/decode.ts";
import { parseFeed } from "#shared/adapters/feed/parse.ts";
import { createMatcher } from "#shared/domain/match/index.ts";
import { normalizeFeed } from "#shared/domain/normalize.ts";
import { storedOutlet } from "#shared/domain/outlet.ts";
import { placeInStory, storyLevel } from "#shared/domain/story.ts";
import type { NewsItem, StoredItem, Story } from "#shared/domain/types.ts";

const SEARCH_FEED = { id: "gnews-en", name: "Google News (en)" };
const NOW = new Date("2026-11-28T12:00:00Z");

/** Three outlets' reports of one development, as a Google News search returns them. */
const SEARCH_RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>"Russia North Korea treaty" - Google News</title><link>https://news.google.com/search?q=x</link>
<item><title>Russia ratifies military protocol with North Korea - Reuters</title>
<link>https://news.google.com/rss/articles/AAA?oc=5</link><guid isPermaLink="false">AAA</guid>
<pubDate>Sat, 28 Nov 2026 08:00:00 GMT</pubDate><description>Russia's State Duma ratified a military protocol with North Korea under the partnership treaty.</description>
<source url="https://www.reuters.com">Reuters</source></item>
<item><title>Duma ratifies North Korea military cooperation protocol - AP News</title>
<link>https://news.google.com/rss/articles/BBB?oc=5</link><guid isPermaLink="false">BBB</guid>
<pubDate>Sat, 28 Nov 2026 09:10:00 GMT</pubDate><description>Russia's State Duma ratified a military cooperation protocol with North Korea.</description>
<source url="https://apnews.com">AP News</source></item>
<item><title>Russian lawmakers ratify North Korea military protocol - Reuters</title>
<link>https://news.google.com/rss/articles/CCC?oc=5</link><guid isPermaLink="false">CCC</guid>
<pubDate>Sat, 28 Nov 2026 10:00:00 GMT</pubDate><description>Russia's State Duma ratified the protocol with North Korea.</description>
<source url="https://www.reuters.com/">Reuters</source></item>
</channel></rss>`;

async function readSearch(xml: string): Promise<NewsItem[]> {
  const parsed = await parseFeed(decodeBody(new TextEncoder().encode(xml)).text);
  if (!parsed.ok) throw new Error(parsed.message);
  return normalizeFeed(parsed.feed, {
    feedId: SEARCH_FEED.id,
    feedUrl: "https://news.google.com/rss/search?q=x",
  }).items;
}

describe("news search items", () => {
  it("carry the outlet named by <source>, keyed by its site", async () => {
    const items = await readSearch(SEARCH_RSS);
    expect(items.map((item) => item.outlet)).toEqual([
      { id: "site:reuters.com", name: "Reuters" },
      { id: "site:apnews.com", name: "AP News" },
      { id: "site:reuters.com", name: "Reuters" },
    ]);
    // The item's identity stays the search feed's: the same article is the same item on every poll.
    expect(items.every((item) => item.id.startsWith("feed:gnews-en:"))).toBe(true);
  });

  it("reads the Google News fixture's sources too", async () => {
    const fixture = readFileSync(new URL("../fixtures/feeds-extra/google-news.rss", import.meta.url), "utf8");
    expect((await readSearch(fixture)).map((item) => item.outlet?.name)).toEqual(["Reuters", "BBC"]);
  });

  it("are stored under their outlet; a plain feed's items under the feed", () => {
    expect(
      storedOutlet({ feedId: "gnews-en", outlet: { id: "site:apnews.com", name: "AP News" } }, SEARCH_FEED),
    ).toEqual({
      feedId: "site:apnews.com",
      feedName: "AP News",
    });
    expect(storedOutlet({ feedId: "nknews" }, { id: "nknews", name: "NK News" })).toEqual({
      feedId: "nknews",
      feedName: "NK News",
    });
  });

  it("make a story count two outlets, not one search feed, and Reuters once", async () => {
    const matcher = createMatcher();
    const stored: StoredItem[] = (await readSearch(SEARCH_RSS)).map((item) => ({
      ...item,
      match: matcher.match(item),
      ...storedOutlet(item, SEARCH_FEED),
      official: false,
      seenAt: NOW.toISOString(),
    }));
    expect(stored.every((item) => item.match.relevant)).toBe(true);
    let stories: Story[] = [];
    for (const item of stored) {
      const decision = placeInStory(item, stories, { windowHours: 36, now: NOW, thresholds: [] });
      stories = decision.created
        ? [decision.story, ...stories]
        : stories.map((story) => (story.id === decision.story.id ? decision.story : story));
    }
    expect(stories).toHaveLength(1);
    const [story] = stories as [Story];
    expect(story.outlets).toEqual(["site:reuters.com", "site:apnews.com"]);
    expect(story.reports.map((r) => r.feedName)).toEqual(["Reuters", "AP News", "Reuters"]);
    expect(storyLevel(story)).toBe(2);
  });
});
