// Each relevance rule (match/rules.ts) and each step that takes a mention out (foreground.ts,
// roundup.ts) shown deciding an item in English, Russian and Korean, through the bundled document.
// The examples are real labelled items from tests/fixtures where one was short enough, else
// written for the rule.
import { describe, expect, it } from "vitest";
import { createMatcher } from "#shared/domain/match/index.ts";
import { RELEVANCE_RULES, ruleReason } from "#shared/domain/match/rules.ts";

const matcher = createMatcher();

/** [rule, language, title, summary]: the rule decides the item, relevant when the rule says so. */
const EXAMPLES: ReadonlyArray<readonly [string, string, string, string]> = [
  ["pair-term", "en", "Russo-North Korean ties deepen with new air route", ""],
  ["pair-term", "ru", "Российско-северокорейские отношения вышли на новый уровень, заявил Песков", ""],
  ["pair-term", "ko", "북러 교역액 3배 증가", ""],
  ["no-sides", "en", "Kim Min-jae limps off in Bayern win", ""],
  ["no-sides", "ru", "Договор СНВ-3 истекает в феврале", ""],
  ["no-sides", "ko", "김민재, 부상으로 결장", ""],
  ["no-dprk-side", "en", "Peskov denies Putin health rumours", ""],
  ["no-dprk-side", "ru", "Лавров прибыл в Анкару", ""],
  ["no-dprk-side", "ko", "하바롭스크 폭설", ""],
  ["no-russia-side", "en", "Sinuiju greenhouse farm completed", ""],
  ["no-russia-side", "ru", "Ким Чен Ын осмотрел новый эсминец", ""],
  ["no-russia-side", "ko", "청진 조선소 화재", ""],
  ["both-sides-in-sentence", "en", "Shoigu arrives in Pyongyang for talks", ""],
  ["both-sides-in-sentence", "ru", "Шойгу прибыл в Пхеньян", ""],
  ["both-sides-in-sentence", "ko", "김정은, 푸틴에 생일 축전", ""],
  ["listed-not-related", "en", "FIFA rankings: Russia climbs to 33rd, North Korea stays 110th", ""],
  ["listed-not-related", "ru", "Рейтинг ФИФА: Россия поднялась на 33-е место, КНДР осталась на 110-м", ""],
  ["listed-not-related", "ko", "FIFA 랭킹: 한국 23위, 러시아 33위, 북한 110위", ""],
  [
    "headline-pair-summary-topic",
    "en",
    "Russian pop stars perform in Pyongyang",
    "The concert marked the anniversary of liberation.",
  ],
  [
    "headline-pair-summary-topic",
    "ru",
    "Минтранс РФ: открыт регулярный авиарейс Москва — Пхеньян",
    "Первый рейс совершила авиакомпания Nordwind; полеты будут выполняться раз в месяц, сообщили в министерстве.",
  ],
  [
    "headline-pair-summary-topic",
    "ko",
    "라진항 통해 북 컨테이너 러로 반출 포착",
    "위성사진 분석 결과 나진항에서 러시아로 향하는 컨테이너 선적이 다시 늘어난 것으로 나타났다. 전문가들은 포탄 수송일 가능성을 제기했다.",
  ],
  ["both-sides-together", "en", "Sergei Lavrov lands in Pyongyang", ""],
  ["both-sides-together", "ru", "Ким Чен Ын принял Шойгу в Пхеньяне", ""],
  ["both-sides-together", "ko", "러시아 태평양함대, 원산항 입항", ""],
  [
    "separate-stories",
    "en",
    "Asia today",
    "The Russian rouble fell to a new low against the dollar. North Korea's Kim Jong Un inspected a missile factory.",
  ],
  [
    "separate-stories",
    "ru",
    "Главное в Азии",
    "Российский рубль упал до нового минимума. Ким Чен Ын осмотрел ракетный завод в КНДР.",
  ],
  [
    "separate-stories",
    "ko",
    "아시아 오늘",
    "러시아 루블화 가치가 사상 최저로 떨어졌다. 북한 김정은은 미사일 공장을 시찰했다.",
  ],
  [
    "both-sides-and-topic",
    "en",
    "Ukraine shows captured North Korean soldier on video",
    "He said he thought he was going to Russia for training.",
  ],
  [
    "both-sides-and-topic",
    "ru",
    "Путин подарил Киму ещё один лимузин",
    "Автомобиль Aurus доставлен в Пхеньян.",
  ],
  [
    "both-sides-and-topic",
    "ko",
    "푸틴, 김 위원장에 아우루스 리무진 또 선물",
    "차량은 지난주 평양에 도착했다.",
  ],
  ["no-relation", "en", "US imposes sanctions on Russia, separately on North Korea", ""],
  ["no-relation", "ru", "Трамп хочет встретиться с Путиным и Ким Чен Ыном до конца года", ""],
  ["no-relation", "ko", "트럼프, 푸틴·김정은과 연내 회담 추진", ""],
  [
    "stand-in-with-high-topic",
    "en",
    "Ukraine says North Korean KN-23 missiles hit Kyiv",
    "Debris analysis confirmed the missiles' origin.",
  ],
  [
    "stand-in-with-high-topic",
    "ru",
    "Украина: северокорейские ракеты KN-23 ударили по Киеву",
    "Анализ обломков подтвердил происхождение ракет.",
  ],
  [
    "stand-in-with-high-topic",
    "ko",
    '외교부, 주한 러시아대사 초치…"북한군 파병 즉각 중단하라"',
    "김홍균 1차관은 지노비예프 대사에게 북한군의 우크라이나 전쟁 투입이 심각한 안보 위협이라고 밝혔다.",
  ],
  [
    "aside-only",
    "en",
    "China, North Korea mark 75 years of ties",
    "Xi Jinping sent a message to Kim Jong Un. Russia, meanwhile, held naval drills in the Sea of Okhotsk.",
  ],
  [
    "aside-only",
    "ru",
    "Си Цзиньпин направил поздравление Ким Чен Ыну",
    "Россия тем временем провела учения на Тихом океане.",
  ],
  ["aside-only", "ko", "북중 수교 75주년 기념 연회", "러시아는 한편 태평양에서 해상 훈련을 실시했다."],
  [
    "background-only",
    "en",
    "Trump says he'd meet Kim Jong Un 'anytime' during Asia trip",
    "President Donald Trump said he would be open to meeting North Korea's leader at the DMZ. Kim has not met a US president since 2019 and has since turned toward Moscow. The White House said no meeting had been scheduled.",
  ],
  [
    "background-only",
    "ru",
    "Северная Корея запустила баллистическую ракету в сторону Японского моря",
    "Ракета пролетела около 350 км, сообщили в Сеуле. Япония заявила протест. Пхеньян стал чаще проводить испытания с тех пор, как подписал договор с Москвой.",
  ],
  [
    "background-only",
    "ko",
    "푸틴, 모디와 정상회담…루피 결제 확대 합의",
    "푸틴 대통령이 인도를 방문해 모디 총리와 정상회담을 했다. 지난해 방북 이후 첫 아시아 순방이다.",
  ],
  [
    "roundup-not-related",
    "en",
    "Japan's white paper names China, North Korea and Russia as top threats",
    "The annual defence report cites China's naval build-up, North Korea's missile programme and Russian bomber flights near Hokkaido.",
  ],
  [
    "roundup-not-related",
    "ru",
    "Погода в АТР: снегопад во Владивостоке, в Пхеньяне до -20",
    "В Приморье выпало до 40 см снега. В столице КНДР ожидаются сильные морозы.",
  ],
  [
    "roundup-not-related",
    "ko",
    "세계평화지수 발표…북한·러시아 하위권",
    "아이슬란드가 1위를 지켰고, 러시아는 전쟁 영향으로, 북한은 군사화 지표로 각각 하위권에 머물렀다.",
  ],
];

/** The steps outside the table, and whether the item they decide is relevant. */
const STEPS: Record<string, boolean> = {
  "aside-only": false,
  "background-only": false,
  "roundup-not-related": false,
};

function expectedRelevance(rule: string): boolean {
  const inTable = RELEVANCE_RULES.find(
    (r) => r.name === rule || (r.name === "no-<side>-side" && /^no-.+-side$/.test(rule)),
  );
  return inTable ? inTable.relevant : (STEPS[rule] as boolean);
}

describe("each relevance rule in three languages", () => {
  it.each(EXAMPLES)("%s decides the %s item %j", (rule, language, title, summary) => {
    // Act
    const result = matcher.match({ title, summary, language });
    // Assess
    expect(result.rule, result.snippet).toBe(rule);
    expect(result.relevant).toBe(expectedRelevance(rule));
  });

  it("has an example in every language for every rule of the table", () => {
    const named = (rule: string) =>
      rule.startsWith("no-") && rule.endsWith("-side") ? "no-<side>-side" : rule;
    for (const rule of RELEVANCE_RULES)
      for (const language of ["en", "ru", "ko"])
        expect(
          EXAMPLES.some(([name, lang]) => named(name) === rule.name && lang === language),
          `${rule.name} ${language}`,
        ).toBe(true);
  });

  it("names each rule once, with a reason", () => {
    const names = RELEVANCE_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of RELEVANCE_RULES) expect(rule.reason.length, rule.name).toBeGreaterThan(20);
    expect(ruleReason("no-dprk-side")).toMatch(/one side/);
    expect(ruleReason("both-sides-in-sentence")).toBeDefined();
    expect(ruleReason("made-up-rule")).toBeUndefined();
  });
});
