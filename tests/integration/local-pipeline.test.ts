// The whole local run on the bundled demo feeds: real DynamoDB Local, real loopback HTTP, the real
// handlers and stream, the local sink. Asserted against the demo feeds' hand-made labels.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CycleSummary,
  type LocalPipeline,
  startLocalPipeline,
} from "#functions/local/local-pipeline.ts";
import type { OutboxRecord } from "#shared/adapters/local/sink.ts";
import { loadDemoLabels } from "../support/demo-labels.ts";

const labels = loadDemoLabels();
const fold = (title: string) => title.replace(/\s+/g, " ").trim();

describe("local run on the demo feeds", () => {
  const dir = mkdtempSync(join(tmpdir(), "pact-local-"));
  const outboxPath = join(dir, "outbox.jsonl");
  const printed: string[] = [];
  let pipeline: LocalPipeline;
  let first: CycleSummary;

  beforeAll(async () => {
    pipeline = await startLocalPipeline({ outboxPath, print: (t) => printed.push(t) });
    first = await pipeline.runCycle({ digest: true });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  const outbox = (): OutboxRecord[] =>
    readFileSync(outboxPath, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));

  it("polls every demo feed and sees every labelled item", () => {
    expect(first.poll.failed).toBe(0);
    expect(first.poll.polled).toBe(new Set(labels.map((l) => l.feed)).size);
    expect(first.poll.itemsSeen).toBe(labels.length);
  });

  it("stores exactly the relevant items: no missed story, no noise", async () => {
    const stored = (await pipeline.storedItems()).map((i) => `${i.feedId} | ${fold(i.title)}`).sort();
    const relevant = labels
      .filter((l) => l.relevant)
      .map((l) => `${l.feed} | ${fold(l.title)}`)
      .sort();

    expect(stored).toEqual(relevant);
  });

  it("groups each development told by several outlets into one story", async () => {
    const stored = await pipeline.storedItems();
    const storyOf = new Map(stored.map((i) => [`${i.feedId} | ${fold(i.title)}`, i.storyId]));
    const byDevelopment = new Map<string, Set<string | undefined>>();
    for (const label of labels.filter((l) => l.relevant && l.story)) {
      const set = byDevelopment.get(label.story as string) ?? new Set();
      set.add(storyOf.get(`${label.feed} | ${fold(label.title)}`));
      byDevelopment.set(label.story as string, set);
    }
    for (const [development, storyIds] of byDevelopment) {
      expect([development, [...storyIds]]).toEqual([development, [expect.any(String)]]);
    }
  });

  it("gives each subscriber at most one message per story and stage, with the fields the outbox promises", () => {
    const records = outbox();
    const keys = records.map((r) => `${r.subscriber} ${r.storyId} ${r.stage}`);

    expect(records.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of records) {
      expect(["email", "sms"]).toContain(r.protocol);
      expect(r.message.length).toBeGreaterThan(0);
      expect(r.links.every((l) => /^https?:\/\//.test(l))).toBe(true);
      if (r.protocol === "email") expect(r.subject?.length).toBeLessThan(100);
    }
    expect(records.some((r) => r.protocol === "sms")).toBe(true);
    expect(records.some((r) => r.kind === "digest")).toBe(true);
  });

  it("alerts the developments of the last alerts.maxAgeHours and records the older ones without a ring", async () => {
    const limitMs = pipeline.config.alerts.maxAgeHours * 3_600_000;
    const stored = await pipeline.storedItems();
    const alerted = new Set(
      outbox()
        .filter((r) => r.stage === "new")
        .map((r) => r.storyId),
    );
    const isOld = (i: (typeof stored)[number]) =>
      Date.parse(i.seenAt) - Date.parse(i.published ?? i.seenAt) > limitMs;
    const oldStories = new Set(stored.filter(isOld).map((i) => i.storyId));
    const freshStories = new Set(stored.filter((i) => !isOld(i)).map((i) => i.storyId));
    const onlyOld = [...oldStories].filter((id) => !freshStories.has(id));

    // The demo carries a week of news: both kinds are there.
    expect(onlyOld.length).toBeGreaterThan(0);
    expect(freshStories.size).toBeGreaterThan(0);
    for (const id of onlyOld) expect(alerted.has(id as string)).toBe(false);
    for (const id of freshStories) expect(alerted.has(id as string)).toBe(true);
    const digest = outbox().find((r) => r.kind === "digest" && r.protocol === "email");
    expect(digest?.message).toContain("Recorded, not alerted (older than 48 h when first seen)");
  });

  it("sends nothing on a second cycle over the same feeds", async () => {
    const before = outbox().length;

    const second = await pipeline.runCycle({ digest: true });

    expect(second.poll.itemsStored).toBe(0);
    // The feed server's ETags come back as 304s: a quiet cycle costs no parsing at all.
    expect(second.poll.feeds.map((f) => f.result)).toEqual(second.poll.feeds.map(() => "not-modified"));
    expect(second.messagesDelivered).toBe(0);
    expect(outbox().length).toBe(before);
  });
});
