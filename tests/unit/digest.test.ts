import { describe, expect, it } from "vitest";
import { renderDigest } from "#shared/domain/digest.ts";
import { smsSegments } from "#shared/domain/gsm.ts";
import { placeInStory } from "#shared/domain/story.ts";
import type { Story } from "#shared/domain/types.ts";
import { hoursAfter, type ItemSpec, NOW, storedItem } from "../support/delivery-fixtures.ts";

function story(specs: ItemSpec[], hours = 0): Story {
  const now = hoursAfter(NOW, hours);
  let current: Story | undefined;
  for (const spec of specs) {
    const decision = placeInStory(storedItem(spec), current ? [current] : [], {
      windowHours: 48,
      now,
      thresholds: [],
    });
    current = decision.story;
  }
  return current as Story;
}

const wheat = story([
  {
    id: "w1",
    feedId: "wire",
    feedName: "Wire",
    title: "Russia to supply North Korea with 100,000 tonnes of wheat",
    published: "2026-11-28T06:00:00.000Z",
  },
  {
    id: "w2",
    feedId: "tass",
    feedName: "ТАСС",
    language: "ru",
    title: "Россия поставит КНДР 100 тысяч тонн пшеницы",
  },
]);
const troops = story(
  [
    {
      id: "t1",
      feedId: "daily",
      feedName: "Daily",
      title: "North Korean troops seen in Kursk",
      severity: "high",
      published: "2026-11-28T12:00:00.000Z",
    },
  ],
  3,
);
const drill = story(
  [
    {
      id: "d1",
      feedId: "yonhap",
      feedName: "Yonhap",
      language: "ko",
      title: "북러 해군, 블라디보스토크 앞바다서 첫 연합훈련",
      official: true,
      published: "2026-11-28T15:00:00.000Z",
    },
  ],
  6,
);

describe("renderDigest", () => {
  it("returns nothing for a day without stories", () => {
    expect(renderDigest([], "2026-11-28", "UTC")).toBeUndefined();
  });

  it("groups the day's stories by severity, most serious first, each with its outlets", () => {
    // Act
    const digest = renderDigest([wheat, drill, troops], "2026-11-28", "UTC");

    // Assess
    const body = digest?.email ?? "";
    const highAt = body.indexOf("== HIGH severity (1) ==");
    const normalAt = body.indexOf("== Normal severity (2) ==");
    expect(highAt).toBeGreaterThan(-1);
    expect(normalAt).toBeGreaterThan(highAt);
    expect(body.indexOf("North Korean troops seen in Kursk")).toBeGreaterThan(highAt);
    expect(body.indexOf("North Korean troops seen in Kursk")).toBeLessThan(normalAt);
    expect(body).toContain("Outlets (2): Wire, ТАСС");
    expect(body).toContain("Outlets (1, incl. an official source): Yonhap");
    // Within a section, the more confirmed story leads (official outranks two outlets).
    expect(body.indexOf("북러 해군")).toBeLessThan(body.indexOf("100,000 tonnes"));
    expect(body).toContain("https://wire.example.com/w1");
    expect(body).toContain("https://tass.example.com/w2");
    expect(body).toMatch(/unsubscribe link Amazon SNS adds/);
  });

  it("renders times for the audience's time zone", () => {
    const utc = renderDigest([troops], "2026-11-28", "UTC")?.email ?? "";
    const seoul = renderDigest([troops], "2026-11-28", "Asia/Seoul")?.email ?? "";

    expect(utc).toContain("First reported: 2026-11-28 12:00 UTC");
    expect(utc).not.toContain("GMT+9");
    expect(seoul).toContain("2026-11-28 12:00 UTC / 2026-11-28 21:00 GMT+9 (Asia/Seoul)");
    expect(seoul).toContain("Times in UTC and Asia/Seoul");
  });

  it("is keyed per day and audience, marked as a digest, with a short subject and SMS", () => {
    const digest = renderDigest([wheat, troops, drill], "2026-11-28", "Europe/Moscow");

    expect(digest?.key).toEqual({ storyId: "digest-2026-11-28", stage: "digest", audience: "Europe/Moscow" });
    expect(digest?.subject).toBe("[RU-DPRK digest] 2026-11-28: 3 stories, 1 high");
    expect(digest?.attributes).toMatchObject({
      kind: "digest",
      stage: "digest",
      severity: "high",
      language: "mul",
      audience: "Europe/Moscow",
      feed: "digest",
    });
    expect(digest?.attributes.entities).toEqual(expect.arrayContaining(["russia", "dprk"]));
    expect(digest?.links).toHaveLength(4);
    expect(smsSegments(digest?.sms ?? "")).toMatchObject({ encoding: "gsm7", segments: 1 });
  });

  it("lists a story once even if it is passed twice", () => {
    const digest = renderDigest([wheat, wheat], "2026-11-28", "UTC");

    expect(digest?.subject).toBe("[RU-DPRK digest] 2026-11-28: 1 story");
    expect(digest?.email.match(/100,000 tonnes/g)).toHaveLength(1);
  });

  it("stays far below SNS's 256 KB with hundreds of long stories", () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      story([
        { id: `s${i}`, feedId: `f${i}`, title: `${"Long headline about the partnership ".repeat(8)} ${i}` },
      ]),
    );

    const digest = renderDigest(many, "2026-11-28", "UTC");

    expect(Buffer.byteLength(digest?.email ?? "")).toBeLessThan(128 * 1024);
    expect(digest?.email).toContain("... and 300 more stories not listed.");
  });
});
