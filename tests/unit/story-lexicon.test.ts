// stemPattern groups an entry's stems by their boundary rules; what it matches must stay what one
// alternative per stem matched (the rule as the lexicon documents it).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HANGUL } from "#shared/domain/language/scripts.ts";
import { allStems, stemPattern } from "#shared/domain/story/lexicon.ts";
import { defaultWatchList } from "#shared/domain/watchlist/index.ts";

/** The rule one stem at a time: Hangul matches anywhere, others start a word, "x " is a whole word. */
function matchesOneByOne(stems: readonly string[], text: string): boolean {
  return stems.some((stem) => {
    const whole = stem.endsWith(" ");
    const needle = stem.trimEnd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const start = HANGUL.test(needle) && !whole ? "" : "(?<![\\p{L}\\p{N}])";
    return new RegExp(`${start}${needle}${whole ? "(?![\\p{L}\\p{N}])" : ""}`, "u").test(text);
  });
}

const lexicon = defaultWatchList.lexicon;
const entries = [lexicon.acts, lexicon.objects, lexicon.actors, lexicon.places, lexicon.sites]
  .flat()
  .map(allStems)
  .filter((stems) => stems.length > 0);
const stemsOfAll = entries.flat();

describe("stemPattern", () => {
  it("matches a text exactly when one of its stems, with its own boundaries, does", () => {
    const glue = fc.constantFrom("", " ", "a", "я", "의", "1", ",", "-");
    const text = fc
      .array(fc.tuple(glue, fc.constantFrom(...stemsOfAll), glue), { maxLength: 4 })
      .map((parts) => parts.map(([before, stem, after]) => `${before}${stem.trimEnd()}${after}`).join(""));
    fc.assert(
      fc.property(fc.constantFrom(...entries), text, (stems, sample) => {
        expect(stemPattern(stems).test(sample)).toBe(matchesOneByOne(stems, sample));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps word boundaries: a Latin stem inside a word and a whole word with a suffix do not match", () => {
    expect(stemPattern(["sanction"]).test("unsanctioned")).toBe(false);
    expect(stemPattern(["sanction"]).test("sanctions")).toBe(true);
    expect(stemPattern(["arms "]).test("armsdeal")).toBe(false);
    expect(stemPattern(["arms ", "밀 "]).test("arms deal")).toBe(true);
    expect(stemPattern(["조약"]).test("북러조약은")).toBe(true);
    expect(stemPattern([]).test("anything")).toBe(false);
  });
});
