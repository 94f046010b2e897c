import { describe, expect, it } from "vitest";
import { WatchListConfigSchema } from "#shared/config/schema.ts";
import { createMatcher, defaultWatchList, resolveWatchList } from "#shared/domain/match/index.ts";
import { WatchListSchema } from "#shared/domain/watchlist/index.ts";

const matcher = createMatcher();
const match = (title: string, summary = "", language = "en") => matcher.match({ title, summary, language });

// Every hard case named in docs/relevance.md, one row each.
describe("hard cases from relevance.md", () => {
  it.each([
    // The Russian side only as a place or a person.
    ["Kursk", "North Korean troops spotted in Kursk", true],
    ["Vladivostok", "Kim Jong Un's train arrives in Vladivostok for talks", true],
    ["the Kremlin", "Kremlin hosts North Korean delegation", true],
    ["Lavrov", "Lavrov meets DPRK counterpart", true],
    ["Shoigu", "Shoigu flies to North Korea for talks", true],
    ["Belousov", "Belousov and North Korean defence minister sign cooperation plan", true],
    ["Peskov", "Peskov comments on North Korean soldiers", true],
    ["Medvedev", "Medvedev praises ally North Korea", true],
    // The North Korean side only as a place, a body or a person.
    ["Pyongyang", "Russia sends wheat to Pyongyang", true],
    ["KPA", "KPA units train with Russian instructors", true],
    ["Korean People's Army", "Korean People's Army engineers help Russia rebuild Kursk", true],
    ["Choe Son Hui", "Choe Son Hui holds talks in Moscow", true],
    ["KCNA", "KCNA: delegation returns from Russia after signing agreement", true],
    ["Wonsan", "Russian tourists fly to Wonsan resort", true],
    ["Rajin", "Russian coal shipments through Rajin port rise", true],
    ["Najin", "Najin port handles Russian cargo again", true],
    // Spellings.
    ["Kim Jong Un", "Kim Jong Un meets Putin", true],
    ["Kim Jong-un", "Kim Jong-un meets Putin", true],
    ["Kim Jong-Un", "Kim Jong-Un meets Putin", true],
    ["DPRK", "Russia and DPRK sign deal", true],
    ["D.P.R.K.", "Russia and the D.P.R.K. sign deal", true],
    ["N. Korea", "N. Korea, Russia hold talks", true],
    ["North Korean", "Russia thanks North Korean troops", true],
    ["possessives", "Pyongyang's envoy praises Russia's support", true],
    // Languages.
    ["Russian: Путин, КНДР", "Путин провел переговоры с руководством КНДР", true, "ru"],
    ["Russian: Северная Корея", "Россия и Северная Корея подписали соглашение", true, "ru"],
    ["Russian: Пхеньян in the locative", "Лавров провел переговоры в Пхеньяне", true, "ru"],
    ["Russian: Ким Чен Ын", "Ким Чен Ын встретился с Путиным", true, "ru"],
    ["Russian: case endings", "Солдаты КНДР воюют за России в Курской области", true, "ru"],
    ["Korean: 러시아, 북한", "러시아, 북한에 원유 공급", true, "ko"],
    ["Korean: 평양, 푸틴", "푸틴, 평양 방문", true, "ko"],
    ["Korean particles: 김정은이, 러시아와", "김정은이 러시아와 조약 체결", true, "ko"],
    // "Korean" alone and "Kim" alone say nothing about North Korea.
    ["Korean alone", "Russia signs trade deal with Korean carmaker", false],
    ["Kim alone", "Kim meets Putin for talks on trade", false],
    // False friends.
    ["Kim Kardashian", "Kim Kardashian visits Moscow", false],
    ["South Korean officials named Kim", "South Korea's Kim Dong-yeon meets Russian envoy", false],
    ["Moscow, Idaho", "Korean barbecue opens in Moscow, Idaho", false],
    ["South Korea–Russia business", "Samsung and Hyundai return to Russia, Seoul says", false],
    ["New START", "Russia suspends New START treaty talks with the US", false],
    ["armistice", "Korean War armistice agreement anniversary marked", false],
    ["plastics treaty", "Plastics treaty talks stall as Russia objects", false],
    ["cocktail", "How to mix a Moscow Mule and a White Russian", false],
    ["drama", "Russian Doll star joins Korean drama about a singer", false],
    // One side only.
    ["North Korean missile test", "North Korea test-fires ballistic missiles", false],
    ["Russian domestic politics", "Putin signs decree on conscription", false],
    ["war in Ukraine without North Korea", "Russia launches missiles at Kyiv", false],
    // Two countries listed or ranked, not related.
    ["ranking", "Russia and North Korea ranked among the least free countries", false],
    ["a longer list of countries", "China, Russia, North Korea and Iran expand nuclear arsenals", false],
    ["separate acts in one sentence", "US imposes sanctions on Russia, separately on North Korea", false],
    ["two clauses", "North Korea fires a missile as Russia hosts a summit", false],
    ["a third party naming both", "Trump says he gets along with Putin and Kim Jong Un", false],
    ["a third party meeting both", "Trump says he would meet Putin and Kim Jong Un next month", false],
    [
      "a third party meeting both, in Russian",
      "Трамп готов встретиться с Путиным и Ким Чен Ыном",
      false,
      "ru",
    ],
    [
      "a third party sanctioning both for something else",
      "US sanctions Russian and North Korean entities over cyberattacks",
      false,
    ],
    ["a third party reporting what both do", "Seoul says Russia and North Korea signed a secret deal", true],
    ["a third party in another clause", "China watches warily as Russia and North Korea grow closer", true],
    ["both acting in parallel", "Russia and North Korea both vote against UN resolution on Gaza", false],
    [
      "ranked together with a topic word",
      "North Korea and Russia are the world's most sanctioned nations",
      false,
    ],
    ["Korean: a third party's talks with both", "트럼프, 푸틴·김정은과 연내 회담 추진", false, "ko"],
    ["Korean: two policies toward each", "정부, 대러 수출통제 품목 확대…대북 제재도 유지", false, "ko"],
    ["Korean: one side's policy toward the other", "러시아의 대북 무기 지원 규탄", true, "ko"],
    // A third party's act on both still counts when it concerns their dealings.
    ["a third party on their arms deals", "Biden warns Putin and Kim Jong Un over arms deals", true],
    // "The North" is North Korea only in a Korean story.
    ["the North beside Seoul", "Seoul summons Russian ambassador over treaty with the North", true],
    [
      "the North without a Korean context",
      "Union troops in the North: Russian historians revisit the Civil War",
      false,
    ],
    // Hanja headline shorthand.
    ["Korean: 北", "北, 러시아에 포탄 1200만발 넘게 보내", true, "ko"],
    ["Korean: 北·러", "北·러 정상 전화통화", true, "ko"],
    ["Korean: 露", "露 국방장관 방북…김정은과 회동", true, "ko"],
    ["北京 is Beijing", "北京 러시아 대사관 행사", false, "ko"],
    ["Korean: 北 glued to a noun", "쿠르스크 파병 北군인 가족에 특별 배급", true, "ko"],
    ["a Russian forum", "DPRK delegation arrives at SPIEF for first time", true],
    ["a Russian forum (Russian)", "Делегация КНДР прибыла на Восточный экономический форум", true, "ru"],
    // 조선 is the DPRK only in North Korean wording.
    ["Korean: 조선 with 로씨야", "조선-로씨야 친선 강화", true, "ko"],
    ["Korean: 조선 shipbuilding", "조선 3사, 러시아 LNG선 수주 취소", false, "ko"],
    // Institutions standing for a side, in shorthand.
    ["Совфед", "Совфед одобрил договор с Пхеньяном", true, "ru"],
    ["Государственная дума", "Государственная дума ратифицировала договор с КНДР", true, "ru"],
    ["Supreme People's Assembly", "Supreme People's Assembly presidium ratifies treaty with Russia", true],
    ["Korean: 최고인민회의", "北 최고인민회의, 러시아와 조약 비준", true, "ko"],
    ["Korean: 로동신문", '로동신문 "로씨야와의 동맹은 불패"', true, "ko"],
    ["Korean: a ranking", "FIFA 랭킹: 한국 23위, 러시아 33위, 북한 110위", false, "ko"],
    ["Russian: Rosoboronexport alone", "Рособоронэкспорт показал новинки на выставке в Дубае", false, "ru"],
    // Related without a cue word: one side acting in, on or with the other.
    ["one side at the other's place", "Russian Orthodox church consecrated in Pyongyang", true],
    ["a leader at the other's parade", "Kim Jong Un attends Victory Day parade in Moscow", true],
  ])("%s", (_name, title, relevant, language = "en") => {
    // Act
    const result = match(title, "", language);
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(relevant);
  });
});

describe("evidence spread over a sentence", () => {
  it("relates two sides far apart in one clause", () => {
    // Act
    const result = match(
      "D.P.R.K. ratifies comprehensive strategic partnership treaty",
      "KCNA said the presidium of the Supreme People's Assembly approved the pact signed with Moscow in June.",
    );
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(true);
  });

  it("keeps two sides apart when a long stretch with commas separates them", () => {
    // Act
    const result = match(
      "North Korea fired a ballistic missile on Tuesday, the third launch this month, Japan's defence ministry said, adding that Russia's foreign ministry held its weekly briefing",
    );
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(false);
  });
});

describe("a comma between the sides", () => {
  it.each([
    // A statement listing separate threats: the comma opens the next topic.
    ["G7 statement condemns North Korea missile launch, Russia's war", false],
    ["Seoul condemns North Korean missile launch, Russian drone strikes on Kyiv", false],
    ["EU summit statement highlights Ukraine aid, Middle East, North Korea missile tests", false],
    // The second side reports, or the comma coordinates the pair: still one story.
    ["North Korean troops fighting in Kursk, Kremlin confirms", true],
    ["North Korea sends more shells, Russia's defence ministry says", true],
    ["Russia, North Korea sign air defence deal", true],
    ["Lavrov, visiting Pyongyang, praises treaty", true],
    ["In Ukraine, North Korean soldiers suffer heavy losses", true],
    ["North Korean leader, Russian defence minister discuss military cooperation", true],
    ["Zelensky, in nightly address, says North Korean troops suffer heavy losses", true],
  ])("%s → %s", (title, relevant) => {
    // Act
    const result = match(title);
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(relevant);
  });

  it("reads a Korean headline's comma as marking its subject, not a list", () => {
    // Act
    const result = match("북한 노동자, 러시아 건설현장 대거 투입", "", "ko");
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(true);
  });

  it("keeps the war apart from a North Korean test listed after it", () => {
    // Act
    const result = match(
      "EU leaders end summit",
      "European leaders agreed to continue financial support for Ukraine, called for a ceasefire in Gaza and condemned North Korea's latest missile tests.",
    );
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(false);
  });
});

describe("sides named for another story", () => {
  it("ignores a side named only as a foil", () => {
    // Act
    const result = match(
      "Samsung mulls Moscow office",
      "Unlike North Korea, Seoul still abides by export controls on Russia, and trade with Moscow has shrunk.",
    );
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(false);
  });

  it("ignores a side in a sentence marked as a separate strand", () => {
    // Act
    const result = match(
      "Pyongyang and Beijing sign trade protocol",
      "The deal covers fertiliser. The Kremlin, meanwhile, announced new tariffs on Turkish goods.",
    );
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(false);
  });

  it("still relates both sides when the separate strand names both", () => {
    // Act
    const result = match(
      "Xi hosts Kim Jong Un in Beijing",
      "Meanwhile, Russia shipped 50,000 tonnes of oil to North Korea in March.",
    );
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(true);
  });

  it("lets a headline naming neither side lend its topic to the summary", () => {
    // Act
    const result = match("Fertiliser shipments double", "North Korea and Russia set the volumes in May.");
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(true);
  });

  it("lets a headline pairing the sides take its topic from a summary naming neither", () => {
    // Act
    const paired = match(
      "Moscow and Pyongyang redraw the region's map",
      "Analysts examine the pact's key clause.",
    );
    const unrelated = match("Moscow and Pyongyang weather outlook", "Snow is expected in both cities.");
    // Assess
    expect(paired.relevant, `${paired.rule}: ${paired.snippet}`).toBe(true);
    expect(unrelated.relevant, `${unrelated.rule}: ${unrelated.snippet}`).toBe(false);
  });

  it("takes a province only the North has as the North Korean side", () => {
    // Act
    const result = match("러시아 파견 공병 귀국…함경북도서 환영 행사", "");
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(true);
  });

  it("reads two places joined by a dash as one link", () => {
    // Act
    const result = match("Chongjin-Vladivostok freight resumes", "");
    const korean = match("나선-하바롭스크 노선 재개", "");
    // Assess
    expect(result.relevant, `${result.rule}: ${result.snippet}`).toBe(true);
    expect(korean.relevant, `${korean.rule}: ${korean.snippet}`).toBe(true);
  });
});

describe("word boundaries", () => {
  it.each([
    ["Korean particle after a Latin acronym", "DPRK의 대표단이 러시아를 방문했다", true],
    ["rush hour is not Russia", "러시아워에 북한 관련 뉴스", false],
    ["Bukhansan mountain is not North Korea", "북한산 등산로에서 러시아 관광객 조난", false],
    ["Pyongyang noodles are a dish", "평양냉면 식당, 러시아 관광객에 인기", false],
    ["a name inside a longer word", "Putinesque rhetoric in Moscowville over Pyongyangstyle", false],
  ])("%s", (_name, title, relevant) => {
    expect(match(title).relevant).toBe(relevant);
  });

  it("reports hits with offsets into the original text, inflection included", () => {
    // Prepare
    const title = "Переговоры в Пхеньяне";
    // Act
    const hit = match(title).hits.find((h) => h.entity === "pyongyang");
    // Assess
    expect(hit).toMatchObject({ text: "Пхеньяне", field: "title", start: 13, end: 21, side: "dprk" });
  });

  it("keeps a Korean particle out of the hit", () => {
    const hit = match("김정은이 방러").hits.find((h) => h.entity === "kim-jong-un");
    expect(hit?.text).toBe("김정은");
  });
});

describe("explanation", () => {
  it("carries the entities, the rule and a snippet with the hits marked", () => {
    // Act
    const result = match(
      "Ukraine says fighting continues",
      "Seoul said on Monday that North Korean troops were moved to Kursk. Talks continue.",
    );
    // Assess
    expect(result.relevant).toBe(true);
    expect(result.rule).toBe("both-sides-in-sentence");
    expect(result.snippet).toBe("Seoul said on Monday that «North Korean» «troops» were moved to «Kursk».");
    expect(result.entities).toEqual(expect.arrayContaining(["dprk", "troops", "kursk"]));
    expect(result.score).toBeGreaterThan(0.5);
    expect(result.score).toBeLessThanOrEqual(1);
  });

  it("explains a rejection by the side that is missing", () => {
    const result = match("Kim Jong Un oversees missile launch");
    expect(result).toMatchObject({ relevant: false, rule: "no-russia-side", severity: "normal" });
  });

  it("rates troops, weapons and treaty steps high, visits normal", () => {
    expect(match("North Korea sends more troops to Russia").severity).toBe("high");
    expect(match("Russia delivers air defence systems to Pyongyang").severity).toBe("high");
    expect(match("Russia and North Korea sign partnership treaty").severity).toBe("high");
    expect(match("Russian ballet troupe visits Pyongyang for friendship festival").severity).toBe("normal");
  });

  it("does not call a signing high without a treaty", () => {
    expect(match("Moscow club signs North Korean football player for friendship").severity).toBe("normal");
  });

  it("handles an empty item", () => {
    expect(match("", "")).toMatchObject({ relevant: false, hits: [], entities: [] });
  });
});

describe("resolveWatchList", () => {
  it("returns the bundled list without config", () => {
    expect(resolveWatchList()).toBe(defaultWatchList);
  });

  it("extends a known entity with new aliases and keeps its side", () => {
    // Prepare
    const config = WatchListConfigSchema.parse({
      mode: "extend",
      entities: [{ id: "pyongyang", aliases: ["ryugyong"] }],
    });
    // Act
    const extended = createMatcher(resolveWatchList(config));
    // Assess
    expect(
      createMatcher().match({ title: "Putin talks in Ryugyong", summary: "", language: "en" }).relevant,
    ).toBe(false);
    expect(extended.match({ title: "Putin talks in Ryugyong", summary: "", language: "en" }).relevant).toBe(
      true,
    );
  });

  it("adds new entities in extend mode", () => {
    const config = WatchListConfigSchema.parse({
      entities: [
        { id: "tumen-bridge", side: "topic", label: "Tumen road bridge", aliases: ["khasan-tumangang"] },
      ],
    });
    const list = resolveWatchList(config);
    expect(list.entities.length).toBe(defaultWatchList.entities.length + 1);
    expect(list.falseFriends).toEqual(defaultWatchList.falseFriends);
  });

  it("replaces the list for another story", () => {
    // Prepare
    const config = WatchListConfigSchema.parse({
      mode: "replace",
      entities: [
        { id: "china", side: "russia", aliases: ["china", "chinese", "beijing"] },
        { id: "brazil", side: "dprk", aliases: ["brazil", "brasilia"] },
        { id: "trade", side: "topic", aliases: ["trade", "soy*"] },
      ],
    });
    // Act
    const replaced = createMatcher(resolveWatchList(config));
    // Assess
    expect(
      replaced.match({ title: "China and Brazil expand soybean trade", summary: "", language: "en" })
        .relevant,
    ).toBe(true);
    expect(
      replaced.match({ title: "Putin in Pyongyang sign treaty", summary: "", language: "en" }).relevant,
    ).toBe(false);
  });

  it("rejects a replacing entity without a side", () => {
    const parsed = WatchListConfigSchema.safeParse({
      mode: "replace",
      entities: [{ id: "x", aliases: ["x"] }],
    });
    expect(parsed.success).toBe(false);
  });
});

describe("the watch-list document", () => {
  it("validates the bundled list against the one schema the config uses too", () => {
    const parsed = WatchListSchema.safeParse(defaultWatchList);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
  });

  it("keeps conditional names, targets and third parties when a config replaces the list", () => {
    const config = WatchListConfigSchema.parse({
      mode: "replace",
      entities: [
        { id: "iran", side: "dprk", label: "Iran", weight: 1, aliases: ["iran"] },
        { id: "russia", side: "russia", label: "Russia", weight: 1, aliases: ["russia"] },
        { id: "the-republic", side: "dprk", aliases: ["the republic"], onlyWith: ["tehran"], target: true },
      ],
      thirdParties: ["erdogan"],
    });

    const list = resolveWatchList(config);

    expect(list.entities.find((e) => e.id === "the-republic")).toMatchObject({
      onlyWith: ["tehran"],
      target: true,
    });
    expect(list.thirdParties).toEqual(["erdogan"]);
  });

  it("refuses a backdrop carrier or a side that names nothing in the document", () => {
    const document = JSON.parse(JSON.stringify(defaultWatchList));
    document.backdropCarriers.push({ topics: ["no-such-topic"], inHeadline: false });
    document.entities[0].side = "mars";
    const parsed = WatchListSchema.safeParse(document);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["backdropCarriers.3.topics.0", "entities.0.side"]),
    );
  });

  it("names the path of a bad field", () => {
    const parsed = WatchListConfigSchema.safeParse({ entities: [{ id: "x", onlyWith: [""] }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["entities", 0, "onlyWith", 0]);
  });
});
