// Each cue builder against the regex it replaces (the one written into engine.ts and background.ts
// before the words moved to the language documents): on English, Russian and Korean examples
// from the rules' comments and tests, both give the expected answer at the same places.
import { describe, expect, it } from "vitest";
import {
  appositivePattern,
  asidePattern,
  backdropClosingPattern,
  backdropOpeningPattern,
  clauseBreakPattern,
  coordinatedGapPattern,
  eachAfterPattern,
  foilAfterPattern,
  foilBeforePattern,
  landmarkEventPattern,
  listingGapPattern,
  pastDatePattern,
  rankedAfterPattern,
  relationAfterPattern,
  relativeAfterPattern,
  reportingAfterPattern,
  separatelyPattern,
  speakerBeforePattern,
} from "#shared/domain/language/index.ts";

type Case = [text: string, matches: boolean];

/** The regexes as they were written in code, words and all. */
const BEFORE: Record<string, RegExp> = {
  coordinatedGap:
    /^[\s,;:·/–—-]*(?:and|&|or|vs\.?|versus|with|и|или|с|및|(?:과의|와의|과|와))?[\s,·/–—-]*$/iu,
  clauseBreak:
    /\b(?:as|while|after|amid|but|when|whereas|despite|before|although|separately|respectively|independently)\b|[;—]|\s–\s/iu,
  reportingAfter:
    /^[^,;.]*?(?:\b(?:says?|said|confirms?|confirmed|reports?|reported|claims?|claimed|denies|denied|admits?|admitted|tells?|told|announces?|announced)\b|(?<!\p{L})(?:заяв\p{L}*|сообщ\p{L}*|подтверд\p{L}*|признал\p{L}*)|(?:밝혔|발표|확인|주장))/iu,
  eachAfter:
    /^(?:['’]s)?\s+(?:both|each|alike|separately|respectively|individually)\b|^\s*(?:оба|обе|по отдельности)(?!\p{L})|^\S*\s*(?:모두|각각)/iu,
  rankedAfter:
    /^(?:['’]s)?\s+(?:are|were|remain|rank|ranked|top|topped|lead|led|head)\s+(?:the\s+|among\s+(?:the\s+)?)?(?:world'?s\s+|globe'?s\s+)?(?:most|least|worst|best|biggest|largest|list|ranking|index|table)\b/iu,
  relationAfter:
    /^(?:['’]s)?\s+(?:ties|cooperation|partnership|relations|relationship|alliance|pact|treaty|axis|deal|deals|summit|talks|trade|friendship|rapprochement|military|arms|defen[cs]e)\b/iu,
  speakerBefore:
    /(?:\b(?:says?|said|claims?|claimed|believes?|thinks?|fears?|feared|notes?|noted|insists?|insisted|argues?|argued|that)|(?<!\p{L})(?:заяви\p{L}*|сообщи\p{L}*|считает|что)|[:"“«])[\s"“«]*(?:the\s+)?$/iu,
  foilBefore: /(?:\b(?:unlike|in contrast (?:to|with)|contrary to)|(?<!\p{L})в отличие от)\s+(?:the\s+)?$/iu,
  foilAfter: /^(?:['’]s)?(?:와|과)?\s*달리(?!\p{L})/u,
  aside: /\bmeanwhile\b|\bin other news\b|(?<!\p{L})тем временем(?!\p{L})|(?<!\p{L})한편(?!\p{L})/iu,
  listingGap: /\b(?:and|as well as)\b|(?<!\p{L})и(?!\p{L})|\p{L}(?:과|와)\s/iu,
  separately:
    /\b(?:each in its own|separately|respectively)\b|(?<!\p{L})(?:отдельно|по отдельности)(?!\p{L})|각각|별도/iu,
  backdropOpening:
    /(?:since|after|following|in the wake of|после того,? как|после|спустя|с тех пор,? как|с момента|со времени)(?![\p{L}\p{N}])/giu,
  appositive:
    /,\s*(?:who|which|whose|котор\p{L}*|подписавш\p{L}*|посетивш\p{L}*|принимавш\p{L}*|встречавш\p{L}*)(?![\p{L}])/giu,
  pastDate:
    /(?<![\p{L}\p{N}])(?:last (?:year|month|summer|autumn|fall|spring|winter)|(?:in|since) (?:(?:january|february|march|april|may|june|july|august|september|october|november|december) )?(?:19|20)\d\d|(?:earlier|late|early) (?:this|last) year|years? ago|в прошлом году|в (?:19|20)\d\d|ранее|год назад|지난해|작년)(?![\p{L}])/iu,
  backdropClosing: /(?:이후|이래|후|뒤|만에)(?![\p{L}\p{N}])/gu,
  landmarkEvent:
    /(?<![\p{L}])(?:visit\p{L}*|trip|trips|talks|meeting|met|return|returned|returning|summit\p{L}*|pact|treaty|alliance|agreement|signed|signing|hosted|hosting|turned|pivot\p{L}*|rapprochement|визит\p{L}*|поездк\p{L}*|саммит\p{L}*|переговор\p{L}*|договор\p{L}*|пакт\p{L}*|подписа\p{L}*|подписани\p{L}*|встреч\p{L}*|соглашени\p{L}*|посети\p{L}*|посещени\p{L}*|возвращени\p{L}*|вернул\p{L}*)(?![\p{L}])|(?:방북|방러|방문|회담|조약|체결|서명|순방|귀국|귀환|협정)/iu,
  relativeAfter: /^\s*(?:where|which|who|whose|when|где|куда|когда|котор\p{L}*)(?![\p{L}])/iu,
};

/** Where a pattern matches and what: the same places, the same words. */
function matchesOf(pattern: RegExp, text: string): string[] {
  const global = new RegExp(
    pattern.source,
    pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
  );
  return [...text.matchAll(global)].map((m) => `${m.index}:${m[0]}`);
}

const CASES: Record<string, { build: () => RegExp; cases: Case[] }> = {
  coordinatedGap: {
    build: coordinatedGapPattern,
    cases: [
      [" and ", true],
      ["–", true],
      [", ", true],
      [" vs. ", true],
      [" with ", true],
      [" и ", true],
      [" с ", true],
      ["와 ", true],
      ["과의 ", true],
      [" 및 ", true],
      [" said ", false],
      [" and the ", false],
      [" в ", false],
    ],
  },
  clauseBreak: {
    build: clauseBreakPattern,
    cases: [
      [" fires a missile as ", true],
      [" while ", true],
      ["; ", true],
      [" – ", true],
      [" holds talks with ", false],
      [" и ", false],
      ["와 ", false],
    ],
  },
  reportingAfter: {
    build: reportingAfterPattern,
    cases: [
      ["'s defence ministry says", true],
      [" confirmed the deployment", true],
      [" заявили в МИД", true],
      ["의 국방부가 밝혔다", true],
      [" troops arrive, officials say", false],
      [" наращивает поставки", false],
    ],
  },
  eachAfter: {
    build: eachAfterPattern,
    cases: [
      [" both vote against the resolution", true],
      ["'s respectively", true],
      [" обе проголосовали против", true],
      [" по отдельности", true],
      [" 모두 반대했다", true],
      ["이 각각", true],
      [" sign a pact", false],
      [" обещали", false],
    ],
  },
  rankedAfter: {
    build: rankedAfterPattern,
    cases: [
      [" are the world's most sanctioned nations", true],
      [" are among the most isolated", true],
      [" top the list", true],
      [" are allies", false],
      [" — самые", false],
    ],
  },
  relationAfter: {
    build: relationAfterPattern,
    cases: [
      [" partnership deepens", true],
      ["'s ties", true],
      [" defense pact", true],
      [" defence pact", true],
      [" said", false],
      [" партнёрство", false],
    ],
  },
  speakerBefore: {
    build: speakerBeforePattern,
    cases: [
      ["Seoul says ", true],
      ["Seoul says the ", true],
      ["Сеул считает, что ", true],
      ["officials said: “", true],
      ["Seoul and ", false],
      ["Трамп встретится с ", false],
    ],
  },
  foilBefore: {
    build: foilBeforePattern,
    cases: [
      ["Unlike ", true],
      ["in contrast with the ", true],
      ["в отличие от ", true],
      ["unlike its neighbour ", false],
      ["вместе с ", false],
    ],
  },
  foilAfter: {
    build: foilAfterPattern,
    cases: [
      ["과 달리 러시아는", true],
      [" 달리", true],
      ["와 달리기", false],
      ["'s", false],
    ],
  },
  aside: {
    build: asidePattern,
    cases: [
      ["Russia, meanwhile, held drills.", true],
      ["In other news, Pyongyang opened a resort.", true],
      ["Россия тем временем провела учения.", true],
      ["한편 러시아는 훈련을 했다.", true],
      ["한편으로는", false],
      ["Mean while", false],
    ],
  },
  listingGap: {
    build: listingGapPattern,
    cases: [
      ["'s missiles and ", true],
      [" as well as ", true],
      [" ракеты и ", true],
      [" 미사일과 ", true],
      [" sand ", false],
      [" исключительно ", false],
      ["와", false],
    ],
  },
  separately: {
    build: separatelyPattern,
    cases: [
      ["each in its own chapter", true],
      ["respectively", true],
      ["рассмотрены отдельно", true],
      ["по отдельности", true],
      ["각각 다뤘다", true],
      ["별도로", true],
      ["separate chapters", false],
      ["раздельно", false],
    ],
  },
  backdropOpening: {
    build: backdropOpeningPattern,
    cases: [
      ["It was the first test since Kim hosted Putin in Pyongyang last year.", true],
      ["in the wake of the summit", true],
      ["Это первые испытания после визита Путина в Пхеньян.", true],
      ["с тех пор, как подписал договор", true],
      ["in the aftermath of the storm", false],
      ["북러 조약 체결 이후", false],
    ],
  },
  appositive: {
    build: appositivePattern,
    cases: [
      ["Putin, who signed a defence pact with Kim Jong Un last year, told the forum", true],
      ["Путин, подписавший в прошлом году договор с КНДР, выступил", true],
      ["Putin who signed", false],
      ["Путин, подписал", false],
    ],
  },
  pastDate: {
    build: pastDatePattern,
    cases: [
      ["who signed a pact last year", true],
      ["since June 2024", true],
      ["in 2023", true],
      ["в прошлом году", true],
      ["в 2023 году", true],
      ["지난해 6월", true],
      ["on Tuesday", false],
      ["in 2023rd place", false],
      ["since Jun 2024", false],
    ],
  },
  backdropClosing: {
    build: backdropClosingPattern,
    cases: [
      ["북러 조약 체결 이후 남측의 제안을 거부", true],
      ["방북후", true],
      ["이후로", false],
      ["since the summit", false],
    ],
  },
  landmarkEvent: {
    build: landmarkEventPattern,
    cases: [
      ["Kim visited Pyongyang", true],
      ["after the summit", true],
      ["после визита Путина", true],
      ["푸틴 방북", true],
      ["after fighting alongside Russian forces", false],
      ["после боёв", false],
      ["전투", false],
    ],
  },
  relativeAfter: {
    build: relativeAfterPattern,
    cases: [
      [" where he signed the pact", true],
      [" где он подписал договор", true],
      [" которое", true],
      [" and then", false],
      [" whereupon", false],
    ],
  },
};

describe("cue builders match what the regexes in code matched", () => {
  for (const [name, { build, cases }] of Object.entries(CASES)) {
    const before = BEFORE[name] as RegExp;
    it.each(cases)(`${name}: %s → %s`, (text, expected) => {
      const built = build();
      expect(matchesOf(built, text).length > 0).toBe(expected);
      expect(matchesOf(built, text)).toEqual(matchesOf(before, text));
    });
  }
});

describe("coordination never crosses a clause", () => {
  it("joins two names by a conjunction, a dash or a comma, never by a semicolon or a colon", () => {
    const coordinated = coordinatedGapPattern();
    for (const gap of [" and ", " & ", " и ", "와 ", "–", ", "])
      expect(coordinated.test(gap), gap).toBe(true);
    for (const gap of ["; ", ": ", " ; and "]) expect(coordinated.test(gap), gap).toBe(false);
  });
});
