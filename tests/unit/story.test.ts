import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadEvalItems } from "#functions/local/eval.ts";
import { decodeBody } from "#shared/adapters/feed/decode.ts";
import { parseFeed } from "#shared/adapters/feed/parse.ts";
import { loadDemoCatalog } from "#shared/adapters/local/demo-feed-server.ts";
import { DEFAULT_STORY_WINDOW_HOURS } from "#shared/config/schema.ts";
import { createMatcher } from "#shared/domain/match/index.ts";
import { normalizeFeed } from "#shared/domain/normalize.ts";
import {
  type PlaceOptions,
  placeInStory,
  type StoryDecision,
  storyIdFor,
  storyLevel,
} from "#shared/domain/story.ts";
import { MAX_LEVEL } from "#shared/domain/subscriptions.ts";
import type { StoredItem, Story } from "#shared/domain/types.ts";
import { hoursAfter, NOW, storedItem } from "../support/delivery-fixtures.ts";
import { loadDemoLabels } from "../support/demo-labels.ts";

const options: PlaceOptions = { windowHours: DEFAULT_STORY_WINDOW_HOURS, now: NOW, thresholds: [] };

/** Feeds items one after another through placeInStory, keeping the story list as a store would. */
function placeAll(items: StoredItem[], overrides: Partial<PlaceOptions> = {}) {
  let stories: Story[] = [];
  const decisions: StoryDecision[] = [];
  for (const item of items) {
    const decision = placeInStory(item, stories, { ...options, ...overrides });
    decisions.push(decision);
    stories = decision.created
      ? [decision.story, ...stories]
      : stories.map((story) => (story.id === decision.story.id ? decision.story : story));
  }
  return { stories, decisions };
}

/** mulberry32: a tiny seeded PRNG, so every shuffled order can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Fisher–Yates with a seeded PRNG. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as T, order[i] as T];
  }
  return order;
}

/**
 * Every pair of items grouped against the ground truth: two items belong in one story exactly
 * when both carry the same development label (null: a development no one else reported).
 */
function groupingErrors(storyOf: ReadonlyMap<string, string>, developmentOf: (id: string) => string | null) {
  const errors: string[] = [];
  const ids = [...storyOf.keys()];
  for (const [i, a] of ids.entries()) {
    for (const b of ids.slice(i + 1)) {
      const development = developmentOf(a);
      const together = development != null && development === developmentOf(b);
      const grouped = storyOf.get(a) === storyOf.get(b);
      if (together && !grouped) errors.push(`split ${development}: ${a} | ${b}`);
      if (!together && grouped) errors.push(`merged: ${a} | ${b}`);
    }
  }
  return errors;
}

/** Places the items in many seeded orders, all within one window, and returns each order's errors. */
function errorsOverOrders(
  items: readonly StoredItem[],
  developmentOf: (id: string) => string | null,
  orders: number,
) {
  const failures: string[] = [];
  for (let seed = 1; seed <= orders; seed++) {
    const order = shuffled(items, seed);
    const { decisions } = placeAll(order, { thresholds: [2] });
    const storyOf = new Map(order.map((item, i) => [item.id, decisions[i]?.story.id ?? ""]));
    for (const error of groupingErrors(storyOf, developmentOf)) failures.push(`seed ${seed}: ${error}`);
  }
  return failures;
}

const ratification = {
  wire: storedItem({
    id: "wire-1",
    feedId: "wire",
    title: "North Korea ratifies partnership treaty with Russia",
    summary: "Kim Jong Un signed the decree on Monday, KCNA said.",
    titleEntities: ["dprk", "treaty", "treaty-steps", "russia"],
    summaryEntities: ["kim-jong-un", "kcna"],
  }),
  daily: storedItem({
    id: "daily-7",
    feedId: "daily",
    title: "Pyongyang ratifies treaty with Moscow",
    summary: "The comprehensive strategic partnership pact takes effect once instruments are exchanged.",
    titleEntities: ["pyongyang", "treaty", "treaty-steps", "moscow"],
  }),
  tass: storedItem({
    id: "tass-3",
    feedId: "tass",
    language: "ru",
    title: "КНДР ратифицировала договор о всеобъемлющем стратегическом партнёрстве с Россией",
    summary: "Указ подписал председатель госсовета Ким Чен Ын.",
    titleEntities: ["dprk", "treaty-steps", "treaty", "russia"],
    summaryEntities: ["kim-jong-un"],
  }),
};

describe("placeInStory: grouping", () => {
  it("groups one development reported by three feeds in two languages into one story", () => {
    // Prepare
    const items = [ratification.wire, ratification.daily, ratification.tass];

    // Act
    const { stories, decisions } = placeAll(items);

    // Assess
    expect(stories).toHaveLength(1);
    const story = stories[0] as Story;
    expect(decisions.map((d) => d.created)).toEqual([true, false, false]);
    expect(story.reports.map((r) => r.itemId)).toEqual(["wire-1", "daily-7", "tass-3"]);
    expect(story.outlets).toEqual(["wire", "daily", "tass"]);
    expect(story.title).toBe(ratification.wire.title);
    expect(story.version).toBe(3);
    expect(story.entities).toEqual(expect.arrayContaining(["kim-jong-un", "kcna", "pyongyang", "moscow"]));
    expect(decisions[0]?.publishes).toEqual([{ stage: "new", level: 1, key: "new" }]);
    // Joining reports do not ring the phone again.
    expect(decisions[1]?.publishes).toEqual([]);
    expect(decisions[2]?.publishes).toEqual([]);
  });

  it("groups the same quantity written three ways (English, Russian, Korean)", () => {
    const items = [
      storedItem({
        id: "a",
        feedId: "wire",
        title: "Russia to supply North Korea with 100,000 tonnes of wheat",
      }),
      storedItem({
        id: "b",
        feedId: "tass",
        language: "ru",
        title: "Россия поставит КНДР 100 тысяч тонн пшеницы",
      }),
      storedItem({ id: "c", feedId: "yonhap", language: "ko", title: "러시아, 북한에 밀 10만 톤 공급" }),
    ];

    const { stories } = placeAll(items);

    expect(stories).toHaveLength(1);
    expect(stories[0]?.outlets).toEqual(["wire", "tass", "yonhap"]);
  });

  it("keeps unrelated developments apart although all of them name Russia, North Korea and their leaders", () => {
    const items = [
      storedItem({
        id: "drill",
        feedId: "wire",
        title: "Russian and North Korean navies hold first joint drill off Vladivostok",
        titleEntities: ["russia", "dprk", "russian-far-east"],
      }),
      storedItem({
        id: "office",
        feedId: "daily",
        title: "North Korea and Russia open new trade office in Vladivostok",
        titleEntities: ["dprk", "russia", "russian-far-east", "economy"],
      }),
      storedItem({
        id: "wheat",
        feedId: "wire",
        title: "Russia to supply North Korea with 100,000 tonnes of wheat",
        titleEntities: ["russia", "dprk", "economy"],
      }),
      storedItem({
        id: "greetings",
        feedId: "tass",
        title: "Putin sends Kim Jong Un birthday greetings",
        titleEntities: ["putin", "kim-jong-un"],
      }),
      storedItem({
        id: "medics",
        feedId: "daily",
        title: "Hundreds of North Korean medics arrive in Kursk region hospitals",
        titleEntities: ["dprk", "kursk"],
      }),
      storedItem({
        id: "students",
        feedId: "yonhap",
        language: "ko",
        title: "북한 학생 수백 명, 러시아 대학 유학",
        titleEntities: ["dprk", "russia"],
      }),
      storedItem({
        id: "veto",
        feedId: "wire",
        title: "Russia vetoes UN panel monitoring North Korea sanctions",
        titleEntities: ["russia", "dprk", "sanctions"],
      }),
    ];

    const { stories, decisions } = placeAll(items);

    expect(decisions.every((d) => d.created)).toBe(true);
    expect(stories).toHaveLength(items.length);
  });

  it("judges two reports by their own evidence: shared names never merge, and a crowd of open stories changes nothing", () => {
    // Prepare: a Putin–Kim call on the treaty, the same call told in Russian, and an analysis
    // that only names the same leaders and the treaty.
    const call = storedItem({
      id: "call",
      feedId: "wire",
      title: "Putin and Kim Jong Un speak by phone about the treaty",
      titleEntities: ["putin", "kim-jong-un", "treaty"],
    });
    const callRu = storedItem({
      id: "call-ru",
      feedId: "tass",
      language: "ru",
      title: "Путин и Ким Чен Ын обсудили договор по телефону",
      titleEntities: ["putin", "kim-jong-un", "treaty"],
    });
    const analysis = storedItem({
      id: "next",
      feedId: "daily",
      title: "Putin, Kim Jong Un and the treaty: what comes next",
      titleEntities: ["putin", "kim-jong-un", "treaty"],
    });
    // Other developments of the same days that also name both leaders and the treaty.
    const others = [
      "Putin and Kim Jong Un: treaty brings 500 workers to Russia",
      "Putin and Kim Jong Un open rail link under the treaty",
      "Putin and Kim Jong Un treaty starts tourist flights",
      "Putin and Kim Jong Un discuss missile deliveries under the treaty",
    ].map((title, i) =>
      storedItem({
        id: `other-${i}`,
        feedId: `f${i}`,
        title,
        titleEntities: ["putin", "kim-jong-un", "treaty"],
      }),
    );

    // Act
    const alone = placeAll([call, analysis, callRu]);
    const crowded = placeAll([...others, call, analysis, callRu]);

    // Assess: the same three decisions with or without the crowd.
    for (const { decisions } of [alone, crowded]) {
      const [opened, next, ru] = decisions.slice(-3);
      expect(next?.created).toBe(true);
      expect(ru?.created).toBe(false);
      expect(ru?.story.id).toBe(opened?.story.id);
    }
    expect(alone.stories).toHaveLength(2);
    expect(crowded.stories).toHaveLength(others.length + 2);
  });

  it("does not merge reports whose event times lie further apart than the window, whatever they share", () => {
    const first = placeAll([{ ...ratification.wire, published: NOW.toISOString() }]).stories;
    const published = hoursAfter(NOW, options.windowHours + 1).toISOString();

    const later = placeInStory({ ...ratification.daily, published, seenAt: published }, first, options);
    const inside = placeInStory(
      {
        ...ratification.daily,
        published: hoursAfter(NOW, options.windowHours - 1).toISOString(),
        seenAt: published,
      },
      first,
      options,
    );

    expect(later.created).toBe(true);
    expect(later.story.id).not.toBe(first[0]?.id);
    expect(inside.created).toBe(false);
  });

  it("compares event times, not processing times: a backfilled archive keeps its developments apart", () => {
    // Two ratification reports polled at the same moment, but published a year apart.
    const seenAt = NOW.toISOString();
    const old = { ...ratification.wire, published: "2025-11-28T09:00:00.000Z", seenAt };
    const recent = { ...ratification.daily, published: "2026-11-28T08:00:00.000Z", seenAt };

    const { stories } = placeAll([old, recent]);

    expect(stories).toHaveLength(2);
    expect(stories.map((story) => story.id.slice(0, 10)).sort()).toEqual(["2025-11-28", "2026-11-28"]);
  });

  it("picks the story with the strongest evidence when several qualify", () => {
    const wheat = storedItem({
      id: "w",
      feedId: "wire",
      title: "Russia to ship 100,000 tonnes of wheat to North Korea",
    });
    const oil = storedItem({
      id: "o",
      feedId: "wire",
      title: "Russia to ship 100,000 tonnes of oil to North Korea",
    });
    const { stories } = placeAll([wheat, oil]);

    const decision = placeInStory(
      storedItem({
        id: "x",
        feedId: "tass",
        language: "ru",
        title: "Россия отправит в КНДР 100 тысяч тонн пшеницы",
      }),
      stories,
      options,
    );

    expect(stories).toHaveLength(2);
    expect(decision.created).toBe(false);
    expect(decision.story.reports[0]?.itemId).toBe("w");
  });
});

describe("placeInStory: stored stories", () => {
  it("keeps each report's own signals in the story row", () => {
    const { stories } = placeAll([ratification.wire, ratification.tass]);

    const story = stories[0] as Story;
    expect(Object.keys(story.reportSignals ?? {})).toEqual(["wire-1", "tass-3"]);
    expect(story.reportSignals?.["tass-3"]).toMatchObject({
      "c:ratify": 1,
      "e:kim-jong-un": expect.any(Number),
    });
    expect(story.reportSignals?.["wire-1"]).not.toHaveProperty("e:russia");
  });

  it("still joins a story stored before reports kept their own signals", () => {
    // Prepare: the row as an earlier version wrote it.
    const { reportSignals: _, ...stored } = placeAll([ratification.wire]).stories[0] as Story;

    // Act
    const joined = placeInStory(ratification.daily, [stored], options);
    const again = placeInStory(ratification.tass, [joined.story], options);

    // Assess
    expect(joined.created).toBe(false);
    expect(again.created).toBe(false);
    expect(again.story.reports.map((r) => r.itemId)).toEqual(["wire-1", "daily-7", "tass-3"]);
    expect(Object.keys(again.story.reportSignals ?? {})).toEqual(["daily-7", "tass-3"]);
  });
});

describe("placeInStory: identity and idempotency", () => {
  it("gives a retried item the same deterministic story id", () => {
    const once = placeInStory(ratification.wire, [], options);
    const again = placeInStory(ratification.wire, [], options);

    expect(once.story.id).toBe(again.story.id);
    expect(once.story.id).toBe(storyIdFor("wire-1", NOW));
    expect(once.story.id).toMatch(/^2026-11-28~[0-9a-f]{16}$/);
    expect(storyIdFor("wire-2", NOW)).not.toBe(once.story.id);
  });

  it("never publishes again for an edited or re-published item (same id, new text and date)", () => {
    const { stories } = placeAll([ratification.wire, ratification.daily]);
    const edited = {
      ...ratification.wire,
      title: "UPDATE: North Korea ratifies partnership treaty with Russia, adds details",
      published: "2026-11-28T11:00:00.000Z",
      match: { ...ratification.wire.match, severity: "high" as const },
    };

    const decision = placeInStory(edited, stories, { ...options, thresholds: [2, 3] });

    expect(decision.created).toBe(false);
    expect(decision.changed).toBe(false);
    expect(decision.publishes).toEqual([]);
    expect(decision.story).toBe(stories[0]);
  });

  it("counts an outlet once however many of its reports join", () => {
    const second = storedItem({
      id: "wire-2",
      feedId: "wire",
      title: "North Korea ratifies treaty with Russia, state media say",
      titleEntities: ["dprk", "treaty", "treaty-steps", "russia"],
    });

    const { stories, decisions } = placeAll([ratification.wire, second], { thresholds: [2] });

    expect(stories[0]?.reports).toHaveLength(2);
    expect(stories[0]?.outlets).toEqual(["wire"]);
    expect(storyLevel(stories[0] as Story)).toBe(1);
    expect(stories[0]?.confirmed).toBe(false);
    expect(decisions[1]?.changed).toBe(true);
    expect(decisions[1]?.publishes).toEqual([]);
  });
});

describe("placeInStory: publishes", () => {
  const high = { ...ratification.daily, match: { ...ratification.daily.match, severity: "high" as const } };

  it("escalates when a joining report raises the severity", () => {
    const { decisions, stories } = placeAll([ratification.wire, high]);

    expect(stories[0]?.severity).toBe("high");
    expect(decisions[1]?.publishes).toEqual([{ stage: "escalated", level: 2, key: "escalated" }]);
  });

  it("does not escalate twice", () => {
    const highTass = {
      ...ratification.tass,
      match: { ...ratification.tass.match, severity: "high" as const },
    };

    const { decisions } = placeAll([ratification.wire, high, highTass]);

    expect(decisions[2]?.publishes).toEqual([]);
  });

  it("publishes confirmed-T once per threshold crossed as outlets join", () => {
    const { decisions, stories } = placeAll([ratification.wire, ratification.daily, ratification.tass], {
      thresholds: [3, 2],
    });

    expect(decisions.map((d) => d.publishes)).toEqual([
      [{ stage: "new", level: 1, key: "new" }],
      [{ stage: "confirmed", level: 2, key: "confirmed-2" }],
      [{ stage: "confirmed", level: 3, key: "confirmed-3" }],
    ]);
    expect(stories[0]?.confirmed).toBe(true);
  });

  it("publishes only 'escalated' when the same step also crosses a threshold", () => {
    const { decisions } = placeAll([ratification.wire, high], { thresholds: [2] });

    expect(decisions[1]?.publishes).toEqual([{ stage: "escalated", level: 2, key: "escalated" }]);
  });

  it("marks a story confirmed exactly when a second outlet or an official source reports it", () => {
    const sameOutlet = { ...ratification.daily, id: "wire-2", feedId: "wire" };

    const { decisions } = placeAll([ratification.wire, sameOutlet, ratification.tass]);
    const official = placeInStory({ ...ratification.tass, official: true }, [], options);

    expect(decisions.map((d) => d.story.confirmed)).toEqual([false, false, true]);
    expect(decisions.map((d) => storyLevel(d.story) >= 2)).toEqual([false, false, true]);
    expect(official.story.confirmed).toBe(true);
  });

  it("opens an official report at MAX_LEVEL with a single 'new' publish", () => {
    const official = { ...ratification.tass, official: true };

    const decision = placeInStory(official, [], { ...options, thresholds: [2, 3] });

    expect(decision.publishes).toEqual([{ stage: "new", level: MAX_LEVEL, key: "new" }]);
    expect(decision.story.confirmed).toBe(true);
  });

  it("crosses every waiting threshold at once when an official source joins", () => {
    const official = { ...ratification.tass, official: true };

    const { decisions } = placeAll([ratification.wire, official], { thresholds: [2, 5] });

    expect(decisions[1]?.publishes).toEqual([
      { stage: "confirmed", level: 2, key: "confirmed-2" },
      { stage: "confirmed", level: 5, key: "confirmed-5" },
    ]);
  });

  it("keeps the story's other fields and bumps the version on every change", () => {
    const { decisions } = placeAll([ratification.wire, ratification.daily]);
    const [opened, joined] = decisions.map((d) => d.story);

    expect(opened?.version).toBe(1);
    expect(joined?.version).toBe(2);
    expect(joined?.id).toBe(opened?.id);
    expect(joined?.firstSeen).toBe(opened?.firstSeen);
    expect(joined?.why).toEqual(opened?.why);
    expect(joined?.signals).toEqual(expect.arrayContaining(opened?.signals ?? []));
  });
});

describe("placeInStory with the bundled matcher", () => {
  // A busy day: four developments each told in English, Russian and Korean, interleaved with nine
  // other developments that share the same parties, leaders, places and topics.
  const day: [development: string, feedId: string, language: string, title: string, summary: string][] = [
    [
      "ratify",
      "wire",
      "en",
      "North Korea ratifies partnership treaty with Russia",
      "Kim Jong Un signed the decree, state media said.",
    ],
    [
      "kyiv",
      "wire",
      "en",
      "North Korea's KN-23 missiles used in strikes on Kyiv, Ukraine says",
      "Debris analysis showed components made in the DPRK, prosecutors said.",
    ],
    [
      "wheat",
      "wire",
      "en",
      "Russia to supply North Korea with 100,000 tonnes of wheat",
      "The deal was announced by Russia's agriculture ministry.",
    ],
    [
      "drill",
      "wire",
      "en",
      "Russian and North Korean navies hold first joint drill off Vladivostok",
      "Ships exercised off the port in what Moscow called a defensive manoeuvre.",
    ],
    [
      "ratify",
      "tass",
      "ru",
      "КНДР ратифицировала договор о всеобъемлющем стратегическом партнёрстве с Россией",
      "Указ подписал председатель госсовета Ким Чен Ын.",
    ],
    [
      "defend",
      "daily",
      "en",
      "Russian diplomat: Moscow will defend Pyongyang if attacked",
      "Ambassador Alexander Matsegora said the treaty's Article 4 leaves no room for doubt.",
    ],
    [
      "lavrov",
      "wire",
      "en",
      "Lavrov arrives in Pyongyang for talks with Choe Son Hui",
      "The Russian foreign minister is expected to discuss the treaty's implementation.",
    ],
    ["wheat", "tass", "ru", "Россия поставит КНДР 100 тысяч тонн пшеницы", "Об этом сообщили в Минсельхозе."],
    [
      "footage",
      "daily",
      "en",
      "Ukraine shows footage of North Korean troops in Kursk combat",
      "Special operations forces said the soldiers were fighting in Russian uniforms.",
    ],
    [
      "drill",
      "tass",
      "ru",
      "ВМФ России и КНДР провели первые совместные учения у Владивостока",
      "Корабли двух стран отработали совместное маневрирование.",
    ],
    [
      "ratify",
      "yonhap",
      "ko",
      "북한, 러시아와 포괄적 전략적 동반자 조약 비준",
      "김정은 국무위원장이 정령에 서명했다고 조선중앙통신이 보도했다.",
    ],
    [
      "uk",
      "policy",
      "en",
      "Britain sanctions Russian officials over North Korean arms deals",
      "The Foreign Office named figures it said arranged missile deliveries.",
    ],
    [
      "lavrov",
      "tass",
      "ru",
      "Лавров прибыл в Пхеньян на переговоры с Чве Сон Хи",
      "Министр обсудит реализацию договора.",
    ],
    [
      "ruble",
      "daily",
      "en",
      "Russia's ruble trade with North Korea bypasses dollar system",
      "Banks in the Far East handle payments for the growing cross-border commerce.",
    ],
    ["wheat", "yonhap", "ko", "러시아, 북한에 밀 10만 톤 공급", "러시아 농업부가 발표했다."],
    [
      "medics",
      "policy",
      "en",
      "Hundreds of North Korean medics arrive in Kursk region hospitals",
      "Russian regional officials confirmed the arrival of doctors from the DPRK.",
    ],
    [
      "lavrov",
      "yonhap",
      "ko",
      "라브로프 러시아 외무장관 평양 도착, 최선희와 회담",
      "양측은 조약 이행 방안을 논의할 예정이다.",
    ],
    [
      "bodies",
      "wire",
      "en",
      "Russia returns bodies of fallen Korean soldiers to Pyongyang",
      "A ceremony at the border crossing was attended by officials from both countries.",
    ],
    [
      "drill",
      "yonhap",
      "ko",
      "북러 해군, 블라디보스토크 앞바다서 첫 연합훈련",
      "양국 함정이 공동 기동 훈련을 했다.",
    ],
    [
      "students",
      "daily",
      "en",
      "Moscow and Pyongyang agree to expand university exchanges",
      "Hundreds of North Korean students will study at Russian universities next year.",
    ],
    [
      "thanks",
      "tass",
      "ru",
      "Путин поблагодарил северокорейских военных за освобождение Курской области",
      "Президент назвал их действия проявлением дружбы.",
    ],
  ];

  const matcher = createMatcher();
  const items = day.map(
    ([, feedId, language, title, summary], i): StoredItem => ({
      id: `${feedId}-${i}`,
      feedId,
      feedName: feedId,
      title,
      summary,
      language,
      match: matcher.match({ title, summary, language }),
      official: false,
      seenAt: NOW.toISOString(),
    }),
  );
  const developmentOf = (id: string) => day[items.findIndex((item) => item.id === id)]?.[0] ?? null;

  it("puts each development in exactly one story and no two developments together", () => {
    // Act
    const { decisions } = placeAll(items);

    // Assess
    const storiesOf = new Map<string, Set<string>>();
    const developmentsOf = new Map<string, Set<string>>();
    decisions.forEach((decision, i) => {
      const development = day[i]?.[0] ?? "";
      storiesOf.set(development, (storiesOf.get(development) ?? new Set()).add(decision.story.id));
      developmentsOf.set(
        decision.story.id,
        (developmentsOf.get(decision.story.id) ?? new Set()).add(development),
      );
    });
    for (const [development, ids] of storiesOf) expect(ids.size, development).toBe(1);
    for (const [id, developments] of developmentsOf) expect([...developments], id).toHaveLength(1);
    expect(developmentsOf.size).toBe(13);
  });

  it("groups the same way whatever order the reports arrive in (100 shuffled orders)", () => {
    const failures = errorsOverOrders(items, developmentOf, 100);

    expect(failures).toEqual([]);
  });

  it("keeps the devset's relevant items, each a different development, apart in any order", () => {
    // Prepare: reports of 30-odd developments from a year of news, each at its own event time.
    const devset = loadEvalItems("tests/fixtures/devset.jsonl")
      .filter((item) => item.relevant)
      .map(
        (item): StoredItem => ({
          id: item.id,
          feedId: item.source ?? "devset",
          feedName: item.source ?? "devset",
          title: item.title,
          summary: item.summary,
          language: item.lang,
          match: matcher.match({ title: item.title, summary: item.summary, language: item.lang }),
          official: false,
          seenAt: NOW.toISOString(),
          ...(item.published ? { published: item.published } : {}),
        }),
      );

    // Act
    const failures = errorsOverOrders(devset, () => null, 100);

    // Assess
    expect(devset.length).toBeGreaterThanOrEqual(30);
    expect(failures).toEqual([]);
  });

  it("lets an official statement under a formal headline join the news story, and the news join it", () => {
    // Prepare: the ministry's headline names no event; its statement says what happened.
    const report = (id: string, feedId: string, language: string, title: string, summary: string) => ({
      id,
      feedId,
      feedName: feedId,
      title,
      summary,
      language,
      match: matcher.match({ title, summary, language }),
      official: feedId === "mfa",
      seenAt: NOW.toISOString(),
      published: NOW.toISOString(),
    });
    const statement = report(
      "mfa-1",
      "mfa",
      "en",
      "Statement by the Ministry of Foreign Affairs on the decision of the Council of the European Union",
      "The Russian Federation firmly rejects the sanctions the European Union imposed on 27 November against Russian shipping companies and banks over alleged deliveries of ammunition to the DPRK. Our cooperation with Pyongyang complies with international law.",
    );
    const wire = report(
      "wire-1",
      "wire",
      "en",
      "EU sanctions Russian shippers and banks over North Korean ammunition deliveries",
      "The measures adopted on Thursday target firms that carried artillery shells from North Korea to Russia.",
    );
    const yonhap = report(
      "yonhap-1",
      "yonhap",
      "ko",
      "EU, 북한 포탄 운송 러시아 해운사·은행 제재",
      "유럽연합이 27일 북한산 포탄을 러시아로 운송한 해운사와 은행을 제재했다.",
    );

    // Act
    const officialFirst = placeAll([statement, wire, yonhap]);
    const officialLast = placeAll([wire, yonhap, statement]);

    // Assess
    for (const { stories } of [officialFirst, officialLast]) {
      expect(stories).toHaveLength(1);
      expect(stories[0]?.outlets).toHaveLength(3);
      expect(storyLevel(stories[0] as Story)).toBe(MAX_LEVEL);
    }
  });
});

describe("placeInStory on the bundled demo feeds", () => {
  const dir = new URL("../../shared/demo-feeds/", import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, dir));

  /** The real decode → parse → normalize → match path over every demo feed; relevant items only. */
  async function demoItems() {
    const feeds = loadDemoCatalog().feeds;
    const labels = loadDemoLabels();
    const storyLabel = new Map(labels.map((label) => [label.title, label.story]));
    const matcher = createMatcher();
    const items: StoredItem[] = [];
    for (const feed of feeds) {
      const decoded = decodeBody(new Uint8Array(read(feed.file)), feed.contentType);
      const parsed = await parseFeed(decoded.text, feed.contentType);
      if (!parsed.ok) throw new Error(`${feed.id}: ${parsed.message}`);
      const normalized = normalizeFeed(parsed.feed, {
        feedId: feed.id,
        feedUrl: `http://127.0.0.1/${feed.file}`,
        configuredLanguage: feed.language,
      });
      for (const item of normalized.items) {
        const match = matcher.match(item);
        if (!match.relevant) continue;
        const seenAt = item.published ?? NOW.toISOString();
        items.push({ ...item, match, feedName: feed.name, official: feed.official, seenAt });
      }
    }
    const titleOf = new Map(items.map((item) => [item.id, item.title]));
    const developmentOf = (id: string) => storyLabel.get(titleOf.get(id) ?? "") ?? null;
    return { items, developmentOf };
  }

  it("groups the labelled multi-outlet stories exactly, in three languages, over five days", async () => {
    // Prepare: items in publication order, each placed when it was published.
    const { items, developmentOf } = await demoItems();
    items.sort((a, b) => a.seenAt.localeCompare(b.seenAt));

    // Act
    let stories: Story[] = [];
    const storyOf = new Map<string, string>();
    for (const item of items) {
      const decision = placeInStory(item, stories, {
        windowHours: DEFAULT_STORY_WINDOW_HOURS,
        now: new Date(item.seenAt),
        thresholds: [2],
      });
      stories = decision.created
        ? [decision.story, ...stories]
        : stories.map((story) => (story.id === decision.story.id ? decision.story : story));
      storyOf.set(item.id, decision.story.id);
    }

    // Assess: two items share a story exactly when the labels give them the same development.
    expect(groupingErrors(storyOf, developmentOf)).toEqual([]);
    const labelledStories = new Set(
      items.map((item) => developmentOf(item.id)).filter((label) => label != null),
    );
    expect(labelledStories.size).toBeGreaterThanOrEqual(5);
  });

  it("decides every pair of reports alike whichever of the two came first", async () => {
    // Prepare
    const { items, developmentOf } = await demoItems();

    // Act: each report placed next to a story the other one opened, both ways round.
    const wrong: string[] = [];
    for (const a of items) {
      const opened = placeInStory(a, [], options).story;
      for (const b of items) {
        // Reports further apart than the window never meet (the test above); these pairs do.
        if (
          a === b ||
          Math.abs(Date.parse(a.seenAt) - Date.parse(b.seenAt)) > options.windowHours * 3_600_000
        )
          continue;
        const joined = !placeInStory(b, [opened], options).created;
        const together = developmentOf(a.id) != null && developmentOf(a.id) === developmentOf(b.id);
        if (joined !== together) wrong.push(`${joined ? "joined" : "apart"}: ${a.title} <- ${b.title}`);
      }
    }

    // Assess
    expect(wrong).toEqual([]);
  });

  it("groups them the same way in 200 shuffled orders, as when eight feeds are polled concurrently", async () => {
    // Prepare: the local run polls every feed at once, so matches reach the notifier in any order,
    // all within one window.
    const { items, developmentOf } = await demoItems();
    const developments = new Set(items.map((item) => developmentOf(item.id)));
    expect(developments).toEqual(
      new Set([null, "un-veto", "kursk-troops", "tumen-bridge", "duma-protocol", "lavrov-wonsan"]),
    );

    // Act
    const failures = errorsOverOrders(items, developmentOf, 200);

    // Assess: in every order, each development is one story and nothing else is in it.
    expect(failures).toEqual([]);
  });
});

describe("placeInStory: stale reports (alerts.maxAgeHours)", () => {
  const seenAt = NOW.toISOString();
  const old = { ...ratification.wire, published: hoursAfter(NOW, -72).toISOString(), seenAt };

  it("records a report older than the limit when first seen, and alerts nobody", () => {
    const decision = placeInStory(old, [], { ...options, maxAgeHours: 48 });

    expect(decision.created).toBe(true);
    expect(decision.publishes).toEqual([]);
    expect(decision.story.stale).toEqual({ maxAgeHours: 48 });
    expect(decision.story.eventAt).toBe(old.published);
  });

  it("alerts the same report when the limit allows it (a backtest)", () => {
    const decision = placeInStory(old, [], { ...options, maxAgeHours: 100 });

    expect(decision.publishes.map((p) => p.stage)).toEqual(["new"]);
    expect(decision.story.stale).toBeUndefined();
  });

  it("alerts when a fresh report of a recorded development arrives", () => {
    const recorded = placeInStory(old, [], { ...options, maxAgeHours: 24 }).story;
    const published = hoursAfter(NOW, -70).toISOString();
    const fresh = { ...ratification.daily, published, seenAt: hoursAfter(NOW, -69).toISOString() };

    const decision = placeInStory(fresh, [recorded], { ...options, maxAgeHours: 24 });

    expect(decision.created).toBe(false);
    expect(decision.publishes.map((p) => p.stage)).toEqual(["new"]);
    expect(decision.story.stale).toBeUndefined();
  });
});
