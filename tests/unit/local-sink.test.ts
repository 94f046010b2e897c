import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLocalSink, type OutboxRecord } from "#shared/adapters/local/sink.ts";
import { renderDigest } from "#shared/domain/digest.ts";
import { renderAlert } from "#shared/domain/format.ts";
import { placeInStory } from "#shared/domain/story.ts";
import type { Story } from "#shared/domain/types.ts";
import { NOW, storedItem, subscriber } from "../support/delivery-fixtures.ts";

const AT = new Date("2026-11-28T10:05:00.000Z");

const subscribers = [
  subscriber({ id: "ann", protocol: "email", endpoint: "ann@example.com" }),
  subscriber({ id: "bob", protocol: "sms", endpoint: "+15557654321" }),
  subscriber({ id: "cho", protocol: "sms", endpoint: "+821012345678", minSeverity: "high" }),
  subscriber({ id: "dan", protocol: "email", endpoint: "dan@example.com", timeZone: "Asia/Seoul" }),
  subscriber({ id: "eve", protocol: "email", endpoint: "eve@example.com", mode: "digest" }),
];

function story(): Story {
  const item = storedItem({
    id: "tass-1",
    feedId: "tass",
    feedName: "TASS",
    language: "ru",
    title: "Путин и Ким Чен Ын обсудили выполнение договора",
    titleEntities: ["putin", "kim-jong-un", "treaty"],
  });
  return placeInStory(item, [], { windowHours: 48, now: NOW, thresholds: [] }).story;
}

async function readOutbox(path: string): Promise<OutboxRecord[]> {
  const text = await readFile(path, "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as OutboxRecord);
}

describe("createLocalSink", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sink-test-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers each alert to the subscribers whose filter policy accepts it, printing and recording each", async () => {
    // Prepare
    const printed: string[] = [];
    const outboxPath = join(dir, "nested", "deeper", "outbox.jsonl");
    const sink = createLocalSink({ subscribers, outboxPath, print: (t) => printed.push(t), now: () => AT });
    const alert = renderAlert(story(), { stage: "new", level: 1, key: "new" }, "UTC");

    // Act
    const results = await sink.publish([alert]);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]?.ok).toBe(true);
    const records = await readOutbox(outboxPath);
    expect(records.map((r) => r.subscriber)).toEqual(["ann", "bob"]);
    const [email, sms] = records;
    expect(email).toMatchObject({
      protocol: "email",
      endpoint: "ann@example.com",
      subject: alert.subject,
      message: alert.email,
      storyId: alert.key.storyId,
      stage: "new",
      links: ["https://tass.example.com/tass-1"],
      at: AT.toISOString(),
    });
    expect(sms).toMatchObject({
      protocol: "sms",
      endpoint: "+15557654321",
      message: alert.sms,
      smsSegments: 1,
      stage: "new",
    });
    expect(sms?.subject).toBeUndefined();
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain("EMAIL to ann@example.com (ann)");
    expect(printed[0]).toContain(`Subject: ${alert.subject}`);
    expect(printed[0]).toContain("Путин и Ким Чен Ын обсудили выполнение договора");
    expect(printed[1]).toContain("SMS to +15557654321 (bob), 1 segment, gsm7");
    // No English outlet reported it: the SMS names the development in English, not a romanisation.
    expect(printed[1]).toContain("Vladimir Putin, Kim Jong Un: treaty - TASS, in Russian");
  });

  it("sends the Seoul rendering only to Seoul subscribers and high-severity stages to high-only ones", async () => {
    const outboxPath = join(dir, "outbox.jsonl");
    const sink = createLocalSink({ subscribers, outboxPath, print: () => {}, now: () => AT });
    const high = { ...story(), severity: "high" as const };

    await sink.publish([
      renderAlert(story(), { stage: "new", level: 1, key: "new" }, "Asia/Seoul"),
      renderAlert(high, { stage: "escalated", level: 1, key: "escalated" }, "UTC"),
    ]);

    const records = await readOutbox(outboxPath);
    expect(records.map((r) => `${r.subscriber}:${r.stage}:${r.audience}`)).toEqual([
      "dan:new:Asia/Seoul",
      "ann:escalated:UTC",
      "bob:escalated:UTC",
      "cho:escalated:UTC",
    ]);
  });

  it("appends to an existing outbox and delivers digests by email only", async () => {
    const outboxPath = join(dir, "outbox.jsonl");
    await writeFile(outboxPath, `${JSON.stringify({ earlier: true })}\n`);
    const sink = createLocalSink({ subscribers, outboxPath, print: () => {}, now: () => AT });
    const digest = renderDigest([story()], "2026-11-28", "UTC");

    await sink.publish(digest ? [digest] : []);

    const lines = (await readFile(outboxPath, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1] ?? "{}")).toMatchObject({
      subscriber: "eve",
      protocol: "email",
      stage: "digest",
      storyId: "digest-2026-11-28",
    });
  });

  it("reports a retryable failure, without throwing, when the outbox cannot be written", async () => {
    const blocker = join(dir, "file");
    await writeFile(blocker, "not a directory");
    const sink = createLocalSink({ subscribers, outboxPath: join(blocker, "outbox.jsonl"), print: () => {} });

    const results = await sink.publish([renderAlert(story(), { stage: "new", level: 1, key: "new" }, "UTC")]);

    expect(results[0]).toMatchObject({ ok: false, retryable: true });
  });

  it("accepts an alert nobody wants without writing anything", async () => {
    const outboxPath = join(dir, "outbox.jsonl");
    const printed: string[] = [];
    const sink = createLocalSink({ subscribers, outboxPath, print: (t) => printed.push(t) });

    const results = await sink.publish([
      renderAlert(story(), { stage: "new", level: 1, key: "new" }, "Europe/Paris"),
    ]);

    expect(results[0]?.ok).toBe(true);
    expect(printed).toEqual([]);
    await expect(readFile(outboxPath, "utf8")).rejects.toThrow();
  });
});
