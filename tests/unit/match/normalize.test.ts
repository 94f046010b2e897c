import { describe, expect, it } from "vitest";
import { expandAlias } from "#shared/domain/match/automaton.ts";
import { normalizeText, splitSentences } from "#shared/domain/match/index.ts";

describe("normalizeText", () => {
  it.each([
    ["Latin case", "KIM Jong UN", "kim jong un"],
    ["Latin hyphen and space variants", "Kim Jong-un", "kim jong un"],
    ["en dash between names", "Russia–North Korea", "russia north korea"],
    ["non-breaking and repeated spaces", "North\u00a0 \tKorea", "north korea"],
    ["curly apostrophe", "Korean People’s Army", "korean people's army"],
    ["fullwidth Latin (NFKC)", "ＤＰＲＫ", "dprk"],
    ["ligature (NFKC)", "ﬁnal", "final"],
    ["Cyrillic case", "ПУТИН", "путин"],
    ["Cyrillic ё → е", "Партнёрство", "партнерство"],
    ["decomposed ё (е + combining diaeresis)", "партне\u0308рство", "партнерство"],
    ["Cyrillic hyphenated compound", "российско-северокорейские", "российско северокорейские"],
    ["Hangul unchanged", "김정은이 평양에서", "김정은이 평양에서"],
    ["Hangul middle-dot variants", "북ㆍ러", "북·러"],
    ["leading and trailing space trimmed", "  Pyongyang  ", "pyongyang"],
  ])("%s", (_name, input, expected) => {
    // Prepare / Act
    const normalized = normalizeText(input);
    // Assess
    expect(normalized).toBe(expected);
  });
});

describe("expandAlias", () => {
  it("expands each brace group, empty option included", () => {
    expect(expandAlias("северн{ая,ой} коре{я,и,}")).toEqual([
      "северная корея",
      "северная кореи",
      "северная коре",
      "северной корея",
      "северной кореи",
      "северной коре",
    ]);
  });

  it("leaves an alias without braces alone", () => {
    expect(expandAlias("kim jong un")).toEqual(["kim jong un"]);
  });
});

describe("splitSentences", () => {
  it("splits on stops but not after initials and abbreviations", () => {
    // Prepare
    const text = "N. Korea and the U.S. met. Gen. Kim spoke! Then 평양에서 회담했다. 끝";
    // Act
    const sentences = splitSentences(text).map((s) => text.slice(s.start, s.end).trim());
    // Assess
    expect(sentences).toEqual([
      "N. Korea and the U.S. met.",
      "Gen. Kim spoke!",
      "Then 평양에서 회담했다.",
      "끝",
    ]);
  });
});
