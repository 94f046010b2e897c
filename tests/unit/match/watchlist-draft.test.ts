import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cleanMention, draftWatchList } from "#functions/local/watchlist.ts";
import { WatchListConfigSchema } from "#shared/config/schema.ts";
import { createMatcher, resolveWatchList } from "#shared/domain/match/index.ts";
import { WatchListSchema } from "#shared/domain/watchlist/index.ts";

describe("draftWatchList", () => {
  const seed = readFileSync("tests/fixtures/seed-article.txt", "utf8");
  const { watchlist, warnings } = draftWatchList(seed);
  const aliases = (side: string) =>
    watchlist.entities.filter((entity) => entity.side === side).flatMap((entity) => entity.aliases);

  it("finds the two parties of the seed article and keeps the bundled sides", () => {
    expect(aliases("russia")).toEqual(expect.arrayContaining(["russia", "moscow", "putin"]));
    expect(aliases("dprk")).toEqual(expect.arrayContaining(["north korea", "pyongyang"]));
  });

  it("never drafts a bare common surname, and says so", () => {
    expect(aliases("dprk")).not.toContain("kim");
    expect(aliases("russia")).not.toContain("kim");
    expect(warnings.some((warning) => warning.includes('"Kim"'))).toBe(true);
  });

  it("drafts topic terms from the article's recurring nouns", () => {
    expect(aliases("topic")).toEqual(expect.arrayContaining(["sanction*", "military-technical cooperation"]));
  });

  it("prints a whole watch-list document that the config takes in mode replace and a matcher runs", () => {
    // Act
    const parsed = WatchListConfigSchema.parse({ ...JSON.parse(JSON.stringify(watchlist)), mode: "replace" });
    const document = resolveWatchList(parsed);
    const matcher = createMatcher(document);
    // Assess
    expect(WatchListSchema.safeParse(JSON.parse(JSON.stringify(watchlist))).success).toBe(true);
    expect(document.sides.map((side) => side.id)).toEqual(["russia", "dprk"]);
    expect(document.lexicon.acts.length).toBeGreaterThan(10);
    expect(
      matcher.match({ title: "Putin and North Korea sign weapons agreement", summary: "", language: "en" })
        .relevant,
    ).toBe(true);
  });

  it("cleans mentions of quotes, possessives and trailing punctuation", () => {
    expect(cleanMention("“Russia’s")).toBe("Russia");
    expect(cleanMention("Kim –")).toBe("Kim");
    expect(cleanMention("Moscow.")).toBe("Moscow");
  });
});
