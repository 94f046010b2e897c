// Each sameness rule stated with report pairs in English, Russian and Korean, through the bundled
// matcher and the real evidence extraction: the same development in other words, and close but
// distinct developments (see SAMENESS_RULES).
import { describe, expect, it } from "vitest";
import { createMatcher } from "#shared/domain/match/index.ts";
import {
  compare,
  DEFAULT_VOCABULARY,
  type Evidence,
  evidenceOf,
  itemSignals,
  textSignals,
} from "#shared/domain/story.ts";

const matcher = createMatcher();

function evidence(language: string, title: string, summary = ""): Evidence {
  const match = matcher.match({ title, summary, language });
  const generic = new Set(DEFAULT_VOCABULARY.genericEntities);
  for (const hit of match.hits) if (hit.entity === hit.side) generic.add(hit.entity);
  return evidenceOf(title, language, itemSignals({ title, summary, match }, DEFAULT_VOCABULARY, generic));
}

type Report = [language: string, title: string];
const judge = ([la, ta]: Report, [lb, tb]: Report) => compare(evidence(la, ta), evidence(lb, tb));

describe("the same development in other words and other languages", () => {
  it.each<[string, Report, Report]>([
    [
      "the Duma vote, two English paraphrases",
      ["en", "Russia's Duma ratifies defence pact with North Korea"],
      ["en", "Lower house of Russian parliament approves treaty with DPRK"],
    ],
    [
      "the Duma vote, Korean and Russian",
      ["ko", "러 하원, 북한과 '상호 군사원조' 조약 비준"],
      ["ru", "Госдума ратифицировала договор о стратегическом партнерстве с КНДР"],
    ],
    [
      "troops in Kursk: arrival and deployment",
      ["en", "North Korean troops arrive in Russia's Kursk region"],
      ["en", "Pyongyang's soldiers deployed to Kursk"],
    ],
    [
      "troops in Kursk, English and Russian",
      ["en", "North Korean troops arrive in Russia's Kursk region"],
      ["ru", "Северокорейские военные прибыли в Курскую область"],
    ],
    [
      "Lavrov in Wonsan, Russian and KCNA-style Korean",
      ["ru", "Лавров прибыл в Вонсан для переговоров с Цой Сон Хи"],
      ["ko", "라브로프 러 외무장관 원산 도착…최선희와 회담"],
    ],
    [
      "a capture confirmed by a third party",
      ["ru", "Зеленский заявил о пленении двух военных из КНДР"],
      ["ko", "국정원, 우크라이나의 북한군 2명 생포 확인"],
    ],
  ])("%s", (_, a, b) => {
    const verdict = judge(a, b);
    expect(verdict.same, verdict.rule).toBe(true);
    expect(judge(b, a).same).toBe(true);
  });
});

describe("close but distinct developments", () => {
  it.each<[string, string, Report, Report]>([
    [
      "different-actors",
      "the Duma vote and the Federation Council vote",
      ["en", "Russia's Duma ratifies defence pact with North Korea"],
      ["ru", "Совет Федерации одобрил договор о партнерстве с КНДР"],
    ],
    [
      "different-actors",
      "the Duma vote and the Federation Council vote, in Korean",
      ["ko", "러 하원, 북한과 조약 비준"],
      ["ko", "러 상원, 북한과 조약 비준안 승인"],
    ],
    [
      "announcement-vs-event",
      "an announced visit and the visit",
      ["ru", "Лавров посетит КНДР на следующей неделе"],
      ["ko", "라브로프 러 외무장관 원산 도착…최선희와 회담"],
    ],
    [
      "announcement-vs-event",
      "an announced visit and the visit, in English",
      ["en", "Lavrov to travel to North Korea after ASEAN meetings"],
      ["en", "Lavrov arrives in Wonsan for talks with Choe Son Hui"],
    ],
    [
      "distinct-act",
      "a capture and a captured soldier's death",
      ["en", "Ukraine captures two North Korean soldiers in Kursk"],
      ["ko", "우크라이나군에 생포된 북한군 포로 1명 사망"],
    ],
    [
      "third-party-reaction",
      "a summit and Seoul's warning about it",
      ["ru", "Путин и Ким Чен Ын провели переговоры на космодроме Восточный"],
      ["ko", '대통령실 "러-북 군사협력, 안보리 결의 위반하면 대가 치를 것"'],
    ],
    [
      "different-objects",
      "wheat and oil shipments",
      ["en", "Russia to ship 100,000 tonnes of wheat to North Korea"],
      ["ru", "Россия отправит в КНДР 100 тысяч тонн нефти"],
    ],
    [
      "different-sites",
      "a factory tour and an airfield tour on one trip",
      ["en", "Pyongyang's leader peers into fighter cockpit on Far East factory visit"],
      ["ru", "Лидеру КНДР показали Ту-160 и «Кинжал» на аэродроме Кневичи"],
    ],
    [
      "different-figures",
      "two separate trade statistics",
      ["ru", "Товарооборот России и КНДР за девять месяцев вырос вдвое"],
      ["ko", "나진항 석탄 선적 급증…위성사진으로 본 북·러 교역"],
    ],
  ])("%s: %s", (rule, _, a, b) => {
    const verdict = judge(a, b);
    expect([verdict.same, verdict.rule]).toEqual([false, rule]);
    expect(judge(b, a).same).toBe(false);
  });

  it("never calls reports the same on the leaders and the treaty alone", () => {
    const verdict = judge(
      ["en", "Putin and Kim Jong Un speak by phone about the treaty"],
      ["en", "Putin, Kim Jong Un and the treaty: what comes next"],
    );
    expect([verdict.same, verdict.rule]).toEqual([false, "nothing-shared"]);
  });
});

describe("figures", () => {
  it("reads a model's designation as a name, not a figure, in every language", () => {
    for (const text of [
      "Russia delivers Su-35 jets and 1,000 shells",
      "Россия поставит Су-35 и 1000 снарядов",
    ]) {
      const signals = textSignals(text);
      expect(signals.has("n:1000"), text).toBe(true);
      expect(signals.has("n:35"), text).toBe(false);
    }
    expect(textSignals("KN-23 미사일 10기").has("n:23")).toBe(false);
  });
});
