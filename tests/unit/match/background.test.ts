import { describe, expect, it } from "vitest";
import { backgroundSpans } from "#shared/domain/match/background.ts";
import { createMatcher } from "#shared/domain/match/index.ts";

const matcher = createMatcher();
const match = (title: string, summary: string, language = "en") =>
  matcher.match({ title, summary, language });
const spanTexts = (text: string) => backgroundSpans(text).map((span) => text.slice(span.start, span.end));

describe("backgroundSpans", () => {
  it.each([
    [
      "It was the first test since Kim hosted Putin in Pyongyang last year.",
      "since Kim hosted Putin in Pyongyang last year",
    ],
    ["Since Putin's visit to Pyongyang, the North has rejected talks.", "Since Putin's visit to Pyongyang"],
    [
      "It was his first event after returning from Pyongyang, where he signed the pact.",
      "after returning from Pyongyang, where he signed the pact",
    ],
    ["Это первые испытания после визита Путина в Пхеньян.", "после визита Путина в Пхеньян"],
    [
      "Пхеньян стал чаще проводить испытания с тех пор, как подписал договор с Москвой.",
      "с тех пор, как подписал договор с Москвой",
    ],
    ["북한은 북러 조약 체결 이후 남측의 제안을 거부해왔다.", "북러 조약 체결 이후"],
    [
      "Putin, who signed a defence pact with Kim Jong Un last year, told the forum growth would reach 2%.",
      "who signed a defence pact with Kim Jong Un last year",
    ],
    [
      "Путин, подписавший в прошлом году договор с КНДР, выступил на форуме.",
      "подписавший в прошлом году договор с КНДР",
    ],
  ])("marks the dated backdrop in %s", (text, expected) => {
    expect(spanTexts(text)).toEqual([expected]);
  });

  it.each([
    "The troops returned after fighting alongside Russian forces in Kursk.",
    "Shells have been shipped since October.",
    "전투 이후 부대가 귀대했다.",
    "Shoigu, who met Kim Jong Un in Pyongyang on Tuesday, said Moscow would honour the pact.",
  ])("leaves a clause that is not about a landmark event: %s", (text) => {
    expect(spanTexts(text)).toEqual([]);
  });
});

describe("matcher with background clauses", () => {
  it.each([
    [
      "Kim Jong Un oversees test of new ICBM",
      "The missile flew for 86 minutes. It was the first ICBM test since Kim hosted Vladimir Putin in Pyongyang last year.",
      "en",
    ],
    [
      "South Korea's defence budget to rise 7.5%",
      "The budget was drafted a year after North Korea and Russia signed their mutual defence treaty.",
      "en",
    ],
    [
      "Северная Корея запустила ракету",
      "Пхеньян стал чаще проводить испытания с тех пор, как подписал договор с Москвой.",
      "ru",
    ],
    ['김여정 "대화할 생각 없다"', "북한은 북러 조약 체결 이후 남측의 모든 제안을 거부해왔다.", "ko"],
  ])("an item about something else is not relevant: %s", (title, summary, language) => {
    expect(match(title, summary, language).relevant).toBe(false);
  });

  it.each([
    ["Shoigu meets Kim in Pyongyang", "The talks came weeks after Putin's visit to Pyongyang."],
    [
      "North Korea's arms factories work round the clock",
      "Pyongyang has shipped millions of shells to Russia since the summit with Putin.",
    ],
    [
      "North Korea ratifies treaty",
      "The presidium ratified the pact a week after Putin signed the law on its ratification.",
    ],
  ])("the story itself stays relevant with a backdrop: %s", (title, summary) => {
    expect(match(title, summary).relevant).toBe(true);
  });
});
