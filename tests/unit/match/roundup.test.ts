// Roundups and briefs: relevant only when one segment itself relates the two sides.
import { describe, expect, it } from "vitest";
import { createMatcher } from "#shared/domain/match/index.ts";
import { segmentStarts } from "#shared/domain/match/roundup.ts";

const matcher = createMatcher();
const match = (language: string, title: string, summary = "") => matcher.match({ title, summary, language });

describe("roundups that name both sides in separate stories", () => {
  it.each([
    ["en", "Weather roundup: heatwave grips Moscow, monsoon floods swamp Pyongyang", ""],
    ["ru", "Дайджест: жара в Москве, наводнения в Пхеньяне", ""],
    ["ko", "[주간 국제] 모스크바 폭염·평양 폭우…유럽 산불 확산", ""],
    ["ko", "이번 주 국제: 日銀 17년 만에 금리 인상…北 초대형 방사포 사격…푸틴 압승", ""],
    [
      "en",
      "Japan's white paper names China as its greatest strategic challenge",
      "Tokyo's annual review also lists North Korea's missile programme and Russian military activity near Hokkaido as serious concerns, each in its own chapter.",
    ],
    ["en", "Putin visits a factory in Tula", "Elsewhere, Pyongyang launched a satellite."],
    ["en", "Russian ruble falls to new low. Kim Jong Un inspects missile factory.", ""],
  ])("[%s] %s — not relevant", (language, title, summary) => {
    const result = match(language, title, summary);
    expect([result.relevant, result.rule]).toEqual([false, "roundup-not-related"]);
  });
});

it("a threat list in a white paper is a list, whichever rule sees it first", () => {
  const result = match("ru", "Япония в Белой книге назвала угрозы: Китай, КНДР, Россия");
  expect(result.relevant).toBe(false);
  expect(["roundup-not-related", "listed-not-related"]).toContain(result.rule);
});

describe("roundups with a segment that relates the two sides", () => {
  it.each([
    ["en", "News in brief: Russia and North Korea sign aviation deal; Japan raises rates", ""],
    ["ru", "Дайджест: Россия и КНДР подписали соглашение об авиасообщении; в Токио выборы", ""],
    ["ko", "[뉴스 브리핑] 러시아, 북한에 방공 시스템 제공…日 금리 인상", ""],
  ])("[%s] %s — relevant", (language, title, summary) => {
    expect(match(language, title, summary).relevant).toBe(true);
  });
});

describe("segments", () => {
  it("split at ellipses, dots, semicolons, commas and stops, not inside an initial", () => {
    const text = "Weather: Moscow hot, Pyongyang wet…Tokyo dry; N. Korea";
    expect(segmentStarts(text).map((start) => text.slice(start, start + 5))).toEqual([
      "Weath",
      "Mosco",
      "Pyong",
      "Tokyo",
      "N. Ko",
    ]);
  });

  it("keep a Korean headline's subject comma ('러시아, 북한에 …') inside its segment", () => {
    const text = "러시아, 북한에 방공 시스템 제공";
    expect(segmentStarts(text, new Set([3]))).toEqual([0]);
    expect(segmentStarts(text)).toEqual([0, 5]);
  });
});
