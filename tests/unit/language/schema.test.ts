import { describe, expect, it } from "vitest";
import {
  abbreviations,
  LANGUAGE_CODES,
  LANGUAGES,
  parseLanguageData,
  scaleWords,
  spelledDigits,
  spelledQuantityPattern,
  stopwords,
} from "#shared/domain/language/index.ts";
import { alternation, BOUND_NOUNS, GLUED_ENDINGS, TOPIC_PARTICLES } from "#shared/domain/language/korean.ts";

/** A valid document to break one field of. */
const minimal = () => ({
  $comment: "test language",
  language: "en",
  abbreviations: { $comment: "stops that end no sentence", words: ["gen"] },
  stopwords: { $comment: "function words", words: ["the"] },
  numbers: { $comment: "numbers", digits: [], scales: [] },
  cues: { aside: { $comment: "another strand", words: ["meanwhile"] } },
});

describe("language documents", () => {
  it("bundles one validated document per language, each with a comment on every list", () => {
    for (const code of LANGUAGE_CODES) {
      const data = LANGUAGES[code];
      expect(data.language).toBe(code);
      for (const list of Object.values(data.cues)) expect(list?.$comment.length).toBeGreaterThan(10);
    }
  });

  it.each([
    ["a cue list without its comment", { cues: { aside: { words: ["meanwhile"] } } }, "cues.aside.$comment"],
    ["a star inside a word", { stopwords: { $comment: "x", words: ["th*e"] } }, "stopwords.words.0"],
    ["a word listed twice", { stopwords: { $comment: "x", words: ["the", "the"] } }, "stopwords.words.1"],
    ["an unknown cue list", { cues: { asides: { $comment: "x", words: ["a"] } } }, "cues"],
    ["an unknown language", { language: "fr" }, "language"],
    ["a comment of two lines", { $comment: "one\ntwo" }, "$comment"],
  ])("rejects %s, naming the file and the path", (_, change, path) => {
    expect(() => parseLanguageData({ ...minimal(), ...change }, "xx.json")).toThrow(
      new RegExp(`Invalid language data xx\\.json:[\\s\\S]*${path.replace(/[.$]/g, "\\$&")}`),
    );
  });

  it("rejects a document filed under another language", () => {
    expect(() => parseLanguageData(minimal(), "ru.json", "ru")).toThrow(/ru\.json[\s\S]*language: "en"/);
  });

  it("accepts a minimal document", () => {
    expect(parseLanguageData(minimal(), "xx.json").cues.aside?.words).toEqual(["meanwhile"]);
  });
});

describe("Korean grammar from ko.json", () => {
  it("glues every particle group and the other endings to a name", () => {
    for (const ending of ["이", "는", "를", "와", "의", "께서", "하였다", "에서는"])
      expect(GLUED_ENDINGS).toContain(ending);
    expect(BOUND_NOUNS).toContain("경제무역지대");
    expect(TOPIC_PARTICLES).toEqual(["은", "는"]);
  });

  it("builds alternations longest first, so a longer ending wins", () => {
    expect(new RegExp(`^${alternation(["에", "에서", "에서는"])}`, "u").exec("에서는")?.[0]).toBe("에서는");
  });
});

describe("words for the splitter and story signals", () => {
  it("abbreviations come from each language", () => {
    for (const word of ["gen", "st", "sept", "г", "ул"]) expect(abbreviations().has(word)).toBe(true);
    expect(abbreviations().has("korea")).toBe(false);
  });

  it("stopwords come from English and Russian", () => {
    for (const word of ["the", "между", "заявили"]) expect(stopwords().has(word)).toBe(true);
    expect(stopwords().has("treaty")).toBe(false);
  });

  it.each([
    ["three thousand troops", "three", "thousand", 3, 1e3],
    ["трёх тысяч военных", "трёх", "тысяч", 3, 1e3],
    ["десять миллионов снарядов", "десять", "миллионов", 10, 1e6],
    ["a billion dollars", "a", "billion", 1, 1e9],
  ])("reads the spelled figure in %s", (text, digitWord, scaleWord, digit, scale) => {
    const match = [...text.matchAll(spelledQuantityPattern())][0];
    expect([match?.[1], match?.[2]]).toEqual([digitWord, scaleWord]);
    expect(spelledDigits().find(([pattern]) => pattern.test(digitWord))?.[1]).toBe(digit);
    expect(scaleWords().find(([pattern]) => pattern.test(scaleWord))?.[1]).toBe(scale);
  });

  it.each([
    [" тыс. тонн", 1e3],
    ["만 톤", 1e4],
    [" млн", 1e6],
    ["억 달러", 1e8],
    [" bln", 1e9],
  ])("reads the scale after a figure: %s", (rest, scale) => {
    expect(scaleWords().find(([pattern]) => pattern.test(rest))?.[1]).toBe(scale);
  });

  it("pairs no Korean scale word with a spelled number", () => {
    expect(spelledQuantityPattern().test("three 만")).toBe(false);
  });
});
