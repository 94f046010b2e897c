import { describe, expect, it } from "vitest";
import { byLanguage, evaluate, formatReport, loadEvalItems } from "#functions/local/eval.ts";
import { createMatcher } from "#shared/domain/match/index.ts";

describe("matcher quality on labelled items", () => {
  const matcher = createMatcher();

  it.each([
    "tests/fixtures/devset.jsonl",
    "tests/fixtures/matcher-cases.jsonl",
    // Written blind (before the matcher was read), then extended with probes of its weak spots.
    "tests/fixtures/matcher-holdout.jsonl",
    // Written blind: long feed summaries, background mentions of the pact, false friends.
    "tests/fixtures/matcher-holdout-2.jsonl",
    // Written blind: headline-only wire items, institutions as the sides (Совфед, Supreme People's
    // Assembly, Rosatom), Korean and Russian agency style, rankings that list both countries.
    "tests/fixtures/matcher-holdout-3.jsonl",
    // Written blind: digests of unrelated stories, G7/EU statements listing threats, forums (SPIEF,
    // EEF), tourism, rail and air links, sports exchanges, and North Korea–China or Russia–Iran news.
    "tests/fixtures/matcher-holdout-4.jsonl",
    // Written blind: summaries that carry the relation under a one-sided or empty headline,
    // question and all-caps headlines, numbers, transliterations, regions, HTML leftovers, foils
    // ("unlike North Korea") and "meanwhile" asides.
    "tests/fixtures/matcher-holdout-5.jsonl",
    // Written blind as a plain day of feeds (wires, Korean dailies, Russian agencies, think tanks):
    // mostly unrelated news, the story's developments scattered in, no engineered traps.
    "tests/fixtures/matcher-holdout-6.jsonl",
    // Written blind: KCNA-style Korean and Russian officialese, roundups and briefs (weather,
    // digests, threat lists, "meanwhile"), third-country leaders in Pyongyang. First run: P 0.859,
    // R 0.936.
    "tests/fixtures/matcher-holdout-7.jsonl",
    // Written blind: KCNA and Rodong style, Russian officialese, sides named only by a place or a
    // title, roundups with and without a relating segment, cocktails. First run: P 0.940, R 0.975.
    "tests/fixtures/matcher-holdout-8.jsonl",
    // Written blind as development-labelled news (the story grouping holdout); its two misses were
    // "Kim" beside Putin or Medvedev in an item that names North Korea only as the Workers' Party or
    // in a backdrop: "Kim" now counts there (kim-alone), never beside a South Korean.
    "tests/fixtures/stories-holdout.jsonl",
  ])("%s: precision and recall ≥ 0.97, each language ≥ 0.95", (path) => {
    // Prepare
    const items = loadEvalItems(path);
    // Act
    const report = evaluate(matcher, items);
    // Assess
    expect(report.tp + report.fp + report.fn + report.tn).toBe(items.length);
    expect(report.precision, formatReport(path, report)).toBeGreaterThanOrEqual(0.97);
    expect(report.recall, formatReport(path, report)).toBeGreaterThanOrEqual(0.97);
    for (const language of byLanguage(items, matcher)) {
      expect(language.precision, `${path} ${language.language}`).toBeGreaterThanOrEqual(0.95);
      // Too few items in a language make its recall a coin toss; at least 20 make it a figure.
      if (language.items >= 20)
        expect(language.recall, `${path} ${language.language}`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("the labelled cases cover three languages and both labels", () => {
    const items = loadEvalItems("tests/fixtures/matcher-cases.jsonl");
    expect(items.length).toBeGreaterThanOrEqual(80);
    expect(new Set(items.map((item) => item.lang))).toEqual(new Set(["en", "ru", "ko"]));
    expect(items.filter((item) => item.relevant).length).toBeGreaterThan(30);
    expect(items.filter((item) => !item.relevant).length).toBeGreaterThan(30);
  });
});

describe("evaluate", () => {
  it("counts a confusion matrix and ends its report with one JSON line", () => {
    // Prepare: a matcher that calls everything relevant.
    const always = {
      match: () => ({
        relevant: true,
        score: 1,
        severity: "normal" as const,
        entities: [],
        hits: [],
        rule: "always",
        snippet: "",
      }),
    };
    const items = [
      { id: "a", title: "a", summary: "", lang: "en", relevant: true },
      { id: "b", title: "b", summary: "", lang: "en", relevant: false },
    ];
    // Act
    const report = evaluate(always, items);
    const lastLine = formatReport("x", report).split("\n").at(-1) as string;
    // Assess
    expect(report).toMatchObject({ tp: 1, fp: 1, fn: 0, tn: 0, precision: 0.5, recall: 1 });
    expect(JSON.parse(lastLine)).toEqual({
      precision: 0.5,
      recall: 1,
      f1: 0.6667,
      tp: 1,
      fp: 1,
      fn: 0,
      tn: 0,
    });
    expect(report.misses.map((miss) => miss.item.id)).toEqual(["b"]);
  });
});
