import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadEvalItems } from "#functions/local/eval.ts";
import { createMatcher } from "#shared/domain/match/index.ts";

const matcher = createMatcher();
const relevantItems = [
  ...loadEvalItems("tests/fixtures/devset.jsonl"),
  ...loadEvalItems("tests/fixtures/matcher-cases.jsonl"),
].filter((item) => item.relevant);

// Words from feeds that belong to no alias, list cue, roundup cue or false friend, in the three languages,
// plus symbols, digits and emoji.
const neutralWord = fc.constantFrom(
  "museum",
  "football",
  "bakery",
  "quarterly",
  "earnings",
  "rain",
  "музей",
  "футбол",
  "выставка",
  "박물관",
  "축구",
  "전시회",
  "🙂",
  "42",
  "—",
  "・",
  "ℌ",
);
const unrelatedText = fc
  .array(fc.oneof(neutralWord, fc.string({ unit: "grapheme", maxLength: 6 })), { maxLength: 30 })
  .map((words) => words.join(" "))
  .filter((text) => matcher.match({ title: text, summary: text, language: "und" }).hits.length === 0);

describe("matcher properties", () => {
  it("never throws and stays well-formed on arbitrary Unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (title, summary) => {
        // Act
        const result = matcher.match({ title, summary, language: "und" });
        // Assess
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
        for (const hit of result.hits) {
          const source = hit.field === "title" ? title : summary;
          expect(hit.start).toBeGreaterThanOrEqual(0);
          expect(hit.end).toBeLessThanOrEqual(source.normalize("NFKC").length + source.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on text built around aliases with combining marks and odd spacing", () => {
    const piece = fc.constantFrom(
      "Путин",
      "КНДР",
      "Kim Jong-un",
      "북한",
      "\u0308",
      "\u200b",
      "\u00a0",
      "ﬁ",
      "’s",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 20 }), (parts) => {
        expect(() =>
          matcher.match({ title: parts.join(""), summary: parts.join(" "), language: "und" }),
        ).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("appending unrelated text never removes a match", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...relevantItems),
        unrelatedText,
        fc.constantFrom("title", "summary"),
        (item, extra, field) => {
          // Prepare
          const title = field === "title" ? `${item.title}. ${extra}` : item.title;
          const summary = field === "summary" ? `${item.summary} ${extra}` : item.summary;
          // Act
          const result = matcher.match({ title, summary, language: item.lang });
          // Assess
          expect(result.relevant, `${item.id}: ${result.rule}`).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
