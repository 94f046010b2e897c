import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeBody } from "#shared/adapters/feed/decode.ts";
import { parseFeed } from "#shared/adapters/feed/parse.ts";
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

const options: PlaceOptions = { windowHours: 48, now: NOW, thresholds: [] };

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

  it("weighs signals that many open stories share less (IDF): common names alone do not merge", () => {
    // Prepare: one story about a Putin–Kim call on the treaty, and an item sharing that evidence.
    const call = storedItem({
      id: "call",
      feedId: "wire",
      title: "Putin and Kim Jong Un speak by phone about the treaty",
      titleEntities: ["putin", "kim-jong-un", "treaty"],
    });
    const item = storedItem({
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
    const alone = placeAll([call, item]);
    const crowded = placeAll([...others, call, item]);

    // Assess: with one open story the shared names decide; among many they are noise.
    expect(alone.stories).toHaveLength(1);
    expect(crowded.decisions.at(-1)?.created).toBe(true);
    expect(crowded.stories).toHaveLength(others.length + 2);
  });

  it("does not merge with a story opened before the window", () => {
    const first = placeAll([ratification.wire]).stories;

    const later = placeInStory(ratification.daily, first, { ...options, now: hoursAfter(NOW, 49) });

    expect(later.created).toBe(true);
    expect(later.story.id).not.toBe(first[0]?.id);
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

  it("puts each development in exactly one story and no two developments together", () => {
    // Prepare
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
});

describe("placeInStory on the bundled demo feeds", () => {
  const dir = new URL("../../shared/demo-feeds/", import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, dir));

  it("groups the labelled multi-outlet stories exactly, in three languages, over five days", async () => {
    // Prepare: the real decode → parse → normalize → match path, items in publication order.
    const feeds = JSON.parse(read("feeds.json").toString("utf8")).feeds as {
      id: string;
      name: string;
      file: string;
      contentType: string;
      language: string;
      official: boolean;
    }[];
    const labels = JSON.parse(read("labels.json").toString("utf8")).items as {
      title: string;
      story: string | null;
    }[];
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
    items.sort((a, b) => a.seenAt.localeCompare(b.seenAt));

    // Act
    let stories: Story[] = [];
    const storyOf = new Map<string, string>();
    for (const item of items) {
      const decision = placeInStory(item, stories, {
        windowHours: 48,
        now: new Date(item.seenAt),
        thresholds: [2],
      });
      stories = decision.created
        ? [decision.story, ...stories]
        : stories.map((story) => (story.id === decision.story.id ? decision.story : story));
      storyOf.set(item.title, decision.story.id);
    }

    // Assess: two items share a story exactly when the labels give them the same development.
    const wrong: string[] = [];
    const titles = [...storyOf.keys()];
    for (const [i, a] of titles.entries()) {
      for (const b of titles.slice(i + 1)) {
        const labelled = storyLabel.get(a) != null && storyLabel.get(a) === storyLabel.get(b);
        const grouped = storyOf.get(a) === storyOf.get(b);
        if (labelled !== grouped) wrong.push(`${grouped ? "merged" : "split"}: ${a} | ${b}`);
      }
    }
    expect(wrong).toEqual([]);
    const labelledStories = new Set(titles.map((t) => storyLabel.get(t)).filter((label) => label != null));
    expect(labelledStories.size).toBeGreaterThanOrEqual(5);
  });
});
