import { describe, expect, it } from "vitest";
import type { SubscriberConfig } from "#shared/config/schema.ts";
import { renderDigest } from "#shared/domain/digest.ts";
import { renderAlert } from "#shared/domain/format.ts";
import { placeInStory } from "#shared/domain/story.ts";
import {
  audiences,
  confirmationThresholds,
  type FilterPolicy,
  filterPolicyFor,
  MAX_LEVEL,
  policyAccepts,
} from "#shared/domain/subscriptions.ts";
import type { Severity, StoredItem, Story } from "#shared/domain/types.ts";
import { NOW, storedItem, subscriber } from "../support/delivery-fixtures.ts";

const subscribers: SubscriberConfig[] = [
  subscriber({ id: "everything" }),
  subscriber({ id: "high-only", protocol: "sms", minSeverity: "high" }),
  subscriber({ id: "two-outlets", minOutlets: 2 }),
  subscriber({ id: "three-outlets", minOutlets: 3 }),
  subscriber({ id: "three-high", protocol: "sms", minOutlets: 3, minSeverity: "high" }),
  subscriber({ id: "seoul", timeZone: "Asia/Seoul" }),
  subscriber({ id: "kursk-only", entities: ["kursk"] }),
  subscriber({ id: "korean-only", languages: ["ko"] }),
  subscriber({ id: "digest-only", mode: "digest" }),
];

/**
 * Runs items through the whole routing path the deployment takes — story step, one rendering per
 * audience, each subscriber's filter policy — and records what each subscriber receives.
 */
function walk(items: StoredItem[], people: SubscriberConfig[] = subscribers) {
  const received = new Map<string, string[]>(people.map((p) => [p.id, []]));
  const options = { windowHours: 48, now: NOW, thresholds: confirmationThresholds(people) };
  let stories: Story[] = [];
  for (const item of items) {
    const decision = placeInStory(item, stories, options);
    stories = decision.created
      ? [decision.story, ...stories]
      : stories.map((s) => (s.id === decision.story.id ? decision.story : s));
    for (const publish of decision.publishes) {
      for (const audience of audiences(people)) {
        const alert = renderAlert(decision.story, publish, audience);
        for (const person of people) {
          if (policyAccepts(filterPolicyFor(person), alert.attributes)) {
            received.get(person.id)?.push(`${alert.key.storyId}/${alert.key.stage}`);
          }
        }
      }
    }
  }
  const stages = (id: string) => (received.get(id) ?? []).map((entry) => entry.split("/")[1]);
  return { received, stages, stories };
}

function report(id: string, feedId: string, severity: Severity = "normal", official = false): StoredItem {
  return storedItem({
    id,
    feedId,
    official,
    severity,
    title: "North Korea ratifies partnership treaty with Russia",
    titleEntities: ["dprk", "treaty", "treaty-steps", "russia"],
  });
}

describe("routing a story through its stages", () => {
  it("new → joined → confirmed → escalated: each subscriber gets exactly what it asked for, once", () => {
    // Prepare: opened by one outlet, joined by the same outlet again, confirmed by a second,
    // escalated by a third (the step that also crosses 3 publishes only "escalated").
    const items = [
      report("a1", "wire"),
      report("a2", "wire"),
      report("b1", "daily"),
      report("c1", "tass", "high"),
    ];

    // Act
    const { stages, stories } = walk(items);

    // Assess
    expect(stories).toHaveLength(1);
    expect(stages("everything")).toEqual(["new", "escalated"]);
    expect(stages("high-only")).toEqual(["escalated"]);
    expect(stages("two-outlets")).toEqual(["confirmed-2", "escalated"]);
    expect(stages("three-outlets")).toEqual(["escalated"]);
    expect(stages("three-high")).toEqual(["escalated"]);
    expect(stages("seoul")).toEqual(["new", "escalated"]);
    expect(stages("kursk-only")).toEqual([]);
    expect(stages("korean-only")).toEqual([]);
    expect(stages("digest-only")).toEqual([]);
  });

  it("escalated before confirmation: the waiting subscribers hear of it when their threshold is crossed", () => {
    const items = [report("a1", "wire"), report("b1", "daily", "high"), report("c1", "tass")];

    const { stages } = walk(items);

    expect(stages("everything")).toEqual(["new", "escalated"]);
    expect(stages("high-only")).toEqual(["escalated"]);
    // Level 2 when it escalated: "two-outlets" is reached by the escalation itself.
    expect(stages("two-outlets")).toEqual(["escalated"]);
    expect(stages("three-outlets")).toEqual(["confirmed-3"]);
    expect(stages("three-high")).toEqual(["confirmed-3"]);
  });

  it("a story that never rises stays quiet for high-only subscribers and reaches the others once", () => {
    const items = [report("a1", "wire"), report("b1", "daily"), report("c1", "tass"), report("d1", "yonhap")];

    const { stages } = walk(items);

    expect(stages("everything")).toEqual(["new"]);
    expect(stages("high-only")).toEqual([]);
    expect(stages("two-outlets")).toEqual(["confirmed-2"]);
    expect(stages("three-outlets")).toEqual(["confirmed-3"]);
    expect(stages("three-high")).toEqual([]);
  });

  it("an official source satisfies every threshold at once, on opening or on joining", () => {
    const opened = walk([report("o1", "kremlin-ru", "normal", true)]);
    const joined = walk([report("a1", "wire"), report("o1", "kremlin-ru", "normal", true)]);

    expect(opened.stages("two-outlets")).toEqual(["new"]);
    expect(opened.stages("three-outlets")).toEqual(["new"]);
    expect(joined.stages("everything")).toEqual(["new"]);
    expect(joined.stages("two-outlets")).toEqual(["confirmed-2"]);
    expect(joined.stages("three-outlets")).toEqual(["confirmed-3"]);
  });

  it("never delivers a story twice to anyone unless its severity rose", () => {
    const items = [
      report("a1", "wire"),
      report("b1", "daily"),
      report("b2", "daily"),
      report("c1", "tass"),
      report("c1", "tass"), // replayed stream record
      report("d1", "yonhap", "high"),
      report("e1", "ap", "high"),
      report("f1", "kcna", "normal", true),
    ];

    const { received } = walk(items);

    for (const [id, messages] of received) {
      expect(new Set(messages).size, id).toBe(messages.length);
      expect(messages.length, id).toBeLessThanOrEqual(2);
      if (messages.length === 2) expect(messages[1], id).toMatch(/\/escalated$/);
    }
  });

  it("routes each audience's rendering only to the subscribers in that time zone", () => {
    const { received } = walk([report("a1", "wire")]);
    const story = placeInStory(report("a1", "wire"), [], { windowHours: 48, now: NOW, thresholds: [] }).story;
    const seoulCopy = renderAlert(story, { stage: "new", level: 1, key: "new" }, "Asia/Seoul");
    const utcCopy = renderAlert(story, { stage: "new", level: 1, key: "new" }, "UTC");

    expect(received.get("seoul")).toHaveLength(1);
    expect(
      policyAccepts(filterPolicyFor(subscriber({ id: "s", timeZone: "Asia/Seoul" })), seoulCopy.attributes),
    ).toBe(true);
    expect(
      policyAccepts(filterPolicyFor(subscriber({ id: "s", timeZone: "Asia/Seoul" })), utcCopy.attributes),
    ).toBe(false);
  });

  it("sends the digest only to email subscribers who asked for it, in their zone", () => {
    const story = placeInStory(report("a1", "wire"), [], { windowHours: 48, now: NOW, thresholds: [] }).story;
    const digest = renderDigest([story], "2026-11-28", "UTC");
    const accepts = (s: SubscriberConfig) =>
      digest !== undefined && policyAccepts(filterPolicyFor(s), digest.attributes);

    expect(accepts(subscriber({ id: "d", mode: "digest" }))).toBe(true);
    expect(accepts(subscriber({ id: "b", mode: "both" }))).toBe(true);
    expect(accepts(subscriber({ id: "i", mode: "immediate" }))).toBe(false);
    expect(accepts(subscriber({ id: "p", mode: "digest", protocol: "sms" }))).toBe(false);
    expect(accepts(subscriber({ id: "z", mode: "digest", timeZone: "Asia/Seoul" }))).toBe(false);
  });
});

describe("filter policies", () => {
  it("accepts by entity or language when the subscriber narrows them", () => {
    const story = placeInStory(
      storedItem({
        id: "k",
        feedId: "yonhap",
        language: "ko",
        title: "북한군, 쿠르스크 전투 투입",
        titleEntities: ["dprk", "troops", "kursk"],
      }),
      [],
      { windowHours: 48, now: NOW, thresholds: [] },
    ).story;
    const alert = renderAlert(story, { stage: "new", level: 1, key: "new" }, "UTC");

    expect(
      policyAccepts(filterPolicyFor(subscriber({ id: "k", entities: ["kursk"] })), alert.attributes),
    ).toBe(true);
    expect(
      policyAccepts(filterPolicyFor(subscriber({ id: "t", entities: ["treaty"] })), alert.attributes),
    ).toBe(false);
    expect(policyAccepts(filterPolicyFor(subscriber({ id: "l", languages: ["ko"] })), alert.attributes)).toBe(
      true,
    );
    expect(policyAccepts(filterPolicyFor(subscriber({ id: "r", languages: ["ru"] })), alert.attributes)).toBe(
      false,
    );
  });

  it("spends at most five keys per branch unless a subscriber narrows by everything at once", () => {
    // SNS allows five keys per policy; "kind" is implied by "stage" and not spent.
    const keysPerBranch = (policy: FilterPolicy) =>
      Math.max(
        ...((policy.$or as FilterPolicy[] | undefined) ?? [policy]).map(
          (branch) => Object.keys(branch).length,
        ),
      );
    const ordinary = [
      subscriber({ id: "a" }),
      subscriber({ id: "b", minOutlets: 3, minSeverity: "high", mode: "both" }),
      subscriber({ id: "c", entities: ["kursk", "troops"], languages: ["en", "ru"], minOutlets: 2 }),
      subscriber({ id: "d", entities: ["kursk"], minSeverity: "high", minOutlets: 2 }),
    ];
    const everything = subscriber({
      id: "x",
      minOutlets: 2,
      minSeverity: "high",
      entities: ["kursk"],
      languages: ["ko"],
    });

    for (const s of ordinary) expect(keysPerBranch(filterPolicyFor(s)), s.id).toBeLessThanOrEqual(5);
    expect(keysPerBranch(filterPolicyFor(everything))).toBe(6);
    expect(JSON.stringify(filterPolicyFor(subscriber({ id: "k" })))).not.toContain("kind");
  });

  it("matches numeric levels as SNS does", () => {
    const policy = filterPolicyFor(subscriber({ id: "w", minOutlets: 3 }));
    const attributes = {
      kind: "alert" as const,
      stage: "new",
      level: 2,
      severity: "normal",
      entities: [],
      language: "en",
      feed: "wire",
      audience: "UTC",
    };

    expect(policyAccepts(policy, attributes)).toBe(false);
    expect(policyAccepts(policy, { ...attributes, level: 3 })).toBe(true);
    expect(policyAccepts(policy, { ...attributes, level: MAX_LEVEL })).toBe(true);
    expect(policyAccepts(policy, { ...attributes, stage: "confirmed", level: 3 })).toBe(true);
    expect(policyAccepts(policy, { ...attributes, stage: "confirmed", level: 2 })).toBe(false);
    expect(policyAccepts(policy, { ...attributes, stage: "confirmed", level: 4 })).toBe(false);
  });

  it("derives audiences and thresholds from the subscribers", () => {
    expect(audiences(subscribers)).toEqual(["Asia/Seoul", "UTC"]);
    expect(audiences([])).toEqual(["UTC"]);
    expect(confirmationThresholds(subscribers)).toEqual([2, 3]);
  });
});
