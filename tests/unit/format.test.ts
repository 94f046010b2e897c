import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailSubject, renderAlert, safeSubject, smsSegments, smsText } from "#shared/domain/format.ts";
import { isGsm7, toGsm7, truncateGsm7 } from "#shared/domain/gsm.ts";
import { type Publish, placeInStory } from "#shared/domain/story.ts";
import { MAX_LEVEL } from "#shared/domain/subscriptions.ts";
import type { Story } from "#shared/domain/types.ts";
import { type ItemSpec, NOW, storedItem } from "../support/delivery-fixtures.ts";

const NEW: Publish = { stage: "new", level: 1, key: "new" };
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function storyOf(spec: Partial<ItemSpec> & Pick<ItemSpec, "title">): Story {
  const item = storedItem({ id: "item-1", feedId: "wire", published: "2026-11-28T08:30:00.000Z", ...spec });
  return placeInStory(item, [], { windowHours: 48, now: NOW, thresholds: [] }).story;
}

function twoOutletStory(): Story {
  const first = storedItem({
    id: "tass-1",
    feedId: "tass",
    feedName: "ТАСС",
    language: "ru",
    title: "КНДР ратифицировала договор о стратегическом партнёрстве с Россией",
    titleEntities: ["dprk", "treaty", "diplomacy", "russia"],
    published: "2026-11-28T08:30:00.000Z",
  });
  const second = storedItem({
    id: "wire-1",
    feedId: "wire",
    feedName: "Wire Service",
    title: "North Korea ratifies strategic partnership treaty with Russia",
    titleEntities: ["dprk", "treaty", "diplomacy", "russia"],
    severity: "high",
  });
  const opened = placeInStory(first, [], { windowHours: 48, now: NOW, thresholds: [] }).story;
  return placeInStory(second, [opened], { windowHours: 48, now: NOW, thresholds: [] }).story;
}

describe("SMS text", () => {
  const long =
    `Russia and North Korea ${"expand cooperation under the partnership treaty ".repeat(6)}`.trim();
  const cases: { name: string; title: string; expect: (sms: string) => void }[] = [
    {
      name: "English headline",
      title: "Russia to supply North Korea with 100,000 tonnes of wheat",
      expect: (sms) => expect(sms).toContain("Russia to supply North Korea with 100,000 tonnes of wheat"),
    },
    {
      name: "Cyrillic headline is transliterated",
      title: "Путин и Ким Чен Ын подписали договор в Пхеньяне",
      expect: (sms) => expect(sms).toContain("Putin i Kim Chen Yn podpisali dogovor"),
    },
    {
      name: "Hangul headline is romanised",
      title: "김정은 푸틴 평양 조약 서명",
      expect: (sms) => expect(sms).toMatch(/GimJeongEun PuTin PyeongYang/),
    },
    {
      name: "300-character headline is shortened with an ellipsis",
      title: long.padEnd(300, " x").slice(0, 300),
      expect: (sms) => expect(sms).toContain("..."),
    },
    {
      name: "emoji are dropped",
      title: "🚨 Kim Jong Un visits Vladivostok 🇷🇺🇰🇵 👍🏽",
      expect: (sms) => expect(sms).toContain("Kim Jong Un visits Vladivostok ("),
    },
    {
      name: "newlines and tabs in the headline become spaces",
      title: "Putin arrives\nin Pyongyang\r\n\tfor talks",
      expect: (sms) => expect(sms).toContain("Putin arrives in Pyongyang for talks"),
    },
    {
      name: "curly quotes and dashes become ASCII",
      title: "Lavrov: “Russia–DPRK ties are strong” — report…",
      expect: (sms) => expect(sms).toContain('Lavrov: "Russia-DPRK ties are strong" - report...'),
    },
    {
      name: "GSM extension characters are replaced by one-septet stand-ins",
      title: "Treaty [full text] {annex} costs €5 ~ ^ | \\",
      expect: (sms) => expect(sms).not.toMatch(/[[\]{}€~^|\\]/),
    },
  ];

  it.each(cases)("$name stays one GSM-7 segment", ({ title, expect: check }) => {
    // Prepare
    const story = storyOf({ title });

    // Act
    const alert = renderAlert(story, NEW, "UTC");

    // Assess
    const cost = smsSegments(alert.sms);
    expect(cost.encoding).toBe("gsm7");
    expect(cost.segments).toBe(1);
    expect(alert.sms).not.toMatch(/[\r\n\t]/);
    expect(alert.sms.startsWith("RU-DPRK: ")).toBe(true);
    check(alert.sms);
  });

  it("keeps the link when the headline fits and drops it for a long headline", () => {
    const short = renderAlert(storyOf({ title: "Putin thanks Kim for troops" }), NEW, "UTC");
    const longStory = renderAlert(
      storyOf({ title: "Putin thanks Kim ".repeat(12), link: `https://example.com/${"a".repeat(90)}` }),
      NEW,
      "UTC",
    );

    expect(short.sms).toContain("https://wire.example.com/item-1");
    expect(longStory.sms).not.toContain("https://");
    expect(smsSegments(longStory.sms).segments).toBe(1);
  });

  it("shows the outlet, how many others reported it and the time in the audience's zone", () => {
    const story = twoOutletStory();

    const sms = smsText(story, { stage: "escalated", level: 2, key: "escalated" }, "Asia/Seoul");

    // The English report's headline reads better than a transliteration.
    expect(sms).toMatch(/^RU-DPRK HIGH: North Korea ratifies strategic partnership treaty with Russia/);
    expect(sms).toContain("(Wire Service +1, 17:30 GMT+9)");
  });

  it("survives an absurdly long outlet name", () => {
    const story = storyOf({ title: "Kim visits Russia", feedName: "Ж".repeat(200) });

    const sms = renderAlert(story, NEW, "UTC").sms;

    expect(smsSegments(sms).segments).toBe(1);
    expect(sms).toContain("Kim visits Russia");
  });

  it("never leaves the GSM-7 alphabet or one segment, whatever the headline, outlet and zone (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 400 }),
        fc.string({ unit: "grapheme", maxLength: 120 }),
        fc.constantFrom("UTC", "Asia/Seoul", "Europe/Moscow", "America/Los_Angeles", "Asia/Kathmandu"),
        fc.constantFrom<Publish>(NEW, { stage: "confirmed", level: 3, key: "confirmed-3" }),
        (title, feedName, zone, publish) => {
          const story = storyOf({ title, feedName });
          const sms = renderAlert(story, publish, zone).sms;
          const cost = smsSegments(sms);
          expect(cost.encoding).toBe("gsm7");
          expect(cost.segments).toBe(1);
          expect(cost.segments).toBeLessThanOrEqual(2);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("GSM-7 helpers", () => {
  it.each([
    { text: "", encoding: "gsm7", units: 0, segments: 0 },
    { text: "a".repeat(160), encoding: "gsm7", units: 160, segments: 1 },
    { text: "a".repeat(161), encoding: "gsm7", units: 161, segments: 2 },
    { text: "€".repeat(80), encoding: "gsm7", units: 160, segments: 1 },
    { text: `${"a".repeat(152)}€`, encoding: "gsm7", units: 154, segments: 1 },
    // An escape pair is never split: 152 + 2 does not fit a 153-septet part.
    { text: `${"a".repeat(152)}€${"a".repeat(10)}`, encoding: "gsm7", units: 164, segments: 2 },
    { text: "a".repeat(306), encoding: "gsm7", units: 306, segments: 2 },
    { text: "a".repeat(307), encoding: "gsm7", units: 307, segments: 3 },
    { text: "Путин", encoding: "ucs2", units: 5, segments: 1 },
    { text: `${"a".repeat(69)}ж`, encoding: "ucs2", units: 70, segments: 1 },
    { text: `${"a".repeat(70)}ж`, encoding: "ucs2", units: 71, segments: 2 },
    { text: "😀".repeat(35), encoding: "ucs2", units: 70, segments: 1 },
  ])("smsSegments counts $units units in $segments segment(s) ($encoding)", ({ text, ...expected }) => {
    expect(smsSegments(text)).toEqual(expected);
  });

  it("keeps characters GSM-7 already has and transliterates the rest", () => {
    expect(toGsm7("Café Müller, Øresund, ¿qué?")).toBe("Café Müller, Øresund, ¿qué?");
    expect(toGsm7("Ёлка `quoted`")).toBe("Elka 'quoted'");
    expect(isGsm7(toGsm7("북한 러시아 平壤 Ελλάδα"))).toBe(true);
  });

  it("truncates at a word boundary within the budget", () => {
    const cut = truncateGsm7("one two three four five six seven", 20);

    expect(cut).toBe("one two three...");
    expect(cut.length).toBeLessThanOrEqual(20);
  });
});

describe("email subject", () => {
  it.each([
    { title: "Putin arrives in Pyongyang", expected: "[RU-DPRK] Putin arrives in Pyongyang" },
    { title: "Путин прибыл в Пхеньян", expected: "[RU-DPRK] Putin pribyl v Pkhen'yan" },
    { title: "Line one\nLine two\tand\u0007bell", expected: "[RU-DPRK] Line one Line two and bell" },
    { title: "🚨 Kim meets Shoigu 🇷🇺", expected: "[RU-DPRK] Kim meets Shoigu" },
    { title: "\u202eevil\u200b bidi", expected: "[RU-DPRK] evil bidi" },
  ])("renders '$title' as one printable line", ({ title, expected }) => {
    expect(emailSubject(storyOf({ title }), NEW)).toBe(expected);
  });

  it("shortens a 300-character headline below 100 characters", () => {
    const subject = emailSubject(storyOf({ title: "Kim Jong Un and Vladimir Putin ".repeat(10) }), NEW);

    expect(subject.length).toBeLessThan(100);
    expect(subject.endsWith("...")).toBe(true);
  });

  it("names the stage", () => {
    const story = storyOf({ title: "Kim visits Russia", severity: "high" });

    expect(emailSubject(story, NEW)).toBe("[RU-DPRK HIGH] Kim visits Russia");
    expect(emailSubject(story, { stage: "escalated", level: 2, key: "escalated" })).toMatch(
      /^\[RU-DPRK HIGH\]/,
    );
    expect(emailSubject(story, { stage: "confirmed", level: 3, key: "confirmed-3" })).toMatch(
      /^\[RU-DPRK confirmed by 3\]/,
    );
    expect(emailSubject(story, { stage: "confirmed", level: MAX_LEVEL, key: "confirmed-2" })).toMatch(
      /^\[RU-DPRK confirmed \(official\)\]/,
    );
  });

  it("is always under 100 printable ASCII characters on one line (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 600 }), (title) => {
        const subject = safeSubject(`[RU-DPRK] ${title}`);
        expect(subject.length).toBeLessThan(100);
        expect(subject.length).toBeGreaterThan(0);
        expect(subject).toMatch(/^[\x20-\x7e]+$/);
        expect(subject).not.toMatch(CONTROL);
        expect(subject).toBe(subject.trim());
      }),
      { numRuns: 500 },
    );
  });
});

describe("email body", () => {
  it("has headline, outlets, times in UTC and the audience's zone, why it matched, links and unsubscribe help", () => {
    // Prepare
    const story = twoOutletStory();

    // Act
    const alert = renderAlert(story, { stage: "escalated", level: 2, key: "escalated" }, "Asia/Seoul");

    // Assess
    const body = alert.email;
    expect(body).toContain("Severity raised to HIGH");
    expect(body).toContain("КНДР ратифицировала договор о стратегическом партнёрстве с Россией");
    expect(body).toContain("Reported by: ТАСС");
    expect(body).toContain("Also reported by: Wire Service");
    expect(body).toContain("First reported: 2026-11-28 08:30 UTC");
    expect(body).toContain("2026-11-28 17:30 GMT+9 (Asia/Seoul)");
    expect(body).toContain("Latest report (Wire Service): North Korea ratifies strategic partnership treaty");
    expect(body).toContain("Matched: North Korea, the partnership treaty, diplomacy, Russia");
    expect(body).toContain("Rule: both-sides-in-sentence");
    expect(body).toContain("Evidence: «КНДР ратифицировала");
    expect(body).toContain("https://tass.example.com/tass-1");
    expect(body).toContain("https://wire.example.com/wire-1");
    expect(body).toMatch(/unsubscribe link Amazon SNS adds/);
    expect(body).toMatch(/delete its entry under\s+"subscribers" in the config file/);
    expect(alert.default).toBe(body);
  });

  it("shows only UTC for a UTC audience", () => {
    const body = renderAlert(storyOf({ title: "Kim visits Russia" }), NEW, "UTC").email;

    expect(body).toContain("First reported: 2026-11-28 08:30 UTC");
    expect(body).not.toContain("GMT");
  });

  it("keeps a headline's newlines out of the body's lines", () => {
    const body = renderAlert(storyOf({ title: "Kim\nvisits\u2028Russia" }), NEW, "UTC").email;

    expect(body.split("\n")).toContain("Kim visits Russia");
  });
});

describe("alert envelope", () => {
  it("keys the alert by story, stage key and audience and carries the filter attributes", () => {
    const story = twoOutletStory();
    const publish: Publish = { stage: "confirmed", level: 2, key: "confirmed-2" };

    const alert = renderAlert(story, publish, "Europe/Moscow");

    expect(alert.key).toEqual({ storyId: story.id, stage: "confirmed-2", audience: "Europe/Moscow" });
    expect(alert.attributes).toEqual({
      kind: "alert",
      stage: "confirmed",
      level: 2,
      severity: "high",
      entities: ["dprk", "treaty", "diplomacy", "russia"],
      language: "ru",
      feed: "wire",
      audience: "Europe/Moscow",
    });
    expect(alert.links).toEqual(["https://tass.example.com/tass-1", "https://wire.example.com/wire-1"]);
  });

  it("lists no links for reports without one", () => {
    const alert = renderAlert(storyOf({ title: "Kim visits Russia", link: null }), NEW, "UTC");

    expect(alert.links).toEqual([]);
    expect(alert.email).not.toContain("Links:");
  });
});

describe("a story no English outlet reported is named in English by what happened", () => {
  it.each([
    {
      language: "ko",
      feedName: "Nara Ilbo",
      title: "러 하원, 북한과 '상호 군사원조' 조약 비준",
      expected: "[RU-DPRK] State Duma: ratification - Nara Ilbo, in Korean",
    },
    {
      language: "ru",
      feedName: "ТАСС",
      title: "Лавров прибыл в Вонсан для переговоров с Цой Сон Хи",
      titleEntities: ["lavrov", "dprk-officials"],
      expected: "[RU-DPRK] Sergei Lavrov, Choe Son Hui, Wonsan: visit, talks - TASS, in Russian",
    },
    {
      language: "ko",
      feedName: "Joson Sori",
      title: "조선인민군과 로씨야련방 무력 첫 련합훈련 진행",
      titleEntities: ["kpa", "russia"],
      expected: "[RU-DPRK] Russia and North Korea: joint exercise - Joson Sori, in Korean",
    },
  ])("subject for '$title'", ({ expected, ...spec }) => {
    const story = storyOf({ feedId: "outlet", ...spec });

    expect(emailSubject(story, NEW)).toBe(expected);
    // The original headline stays in the body, and the SMS names the same development.
    expect(renderAlert(story, NEW, "UTC").email).toContain(spec.title);
    expect(smsText(story, NEW, "UTC")).toContain(expected.replace("[RU-DPRK] ", ""));
  });

  it("uses an English report's own headline once the story has one", () => {
    expect(emailSubject(twoOutletStory(), NEW)).toBe(
      "[RU-DPRK HIGH] North Korea ratifies strategic partnership treaty with Russia",
    );
  });
});

describe("why it matched", () => {
  it("names what matched by the watch list's labels, not its ids", () => {
    const story = storyOf({
      title: "North Korea ratifies treaty with Russia",
      titleEntities: ["dprk", "treaty", "russia"],
    });

    const email = renderAlert(story, NEW, "UTC").email;

    expect(email).toContain("Matched: North Korea, the partnership treaty, Russia");
    expect(email).not.toMatch(/Matched:.*\bdprk\b/);
  });
});
