import { describe, expect, it } from "vitest";
import { seededRandom } from "#functions/local/seeded-random.ts";
import { createDeliveryLedger } from "#shared/adapters/dynamodb/delivery-ledger.ts";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createFeedStateStore } from "#shared/adapters/dynamodb/feed-state-store.ts";
import { createItemStore } from "#shared/adapters/dynamodb/item-store.ts";
import { createStoryStore, daysBetween } from "#shared/adapters/dynamodb/story-store.ts";
import { createStreamPump } from "#shared/adapters/local/stream-pump.ts";
import type { StoredItem, Story } from "#shared/domain/types.ts";
import { initialFeedState } from "#shared/ports.ts";
import { useDynamoDbLocal } from "../support/dynamodb.ts";
import { injectDynamoFaults } from "../support/dynamodb-faults.ts";

const ddb = useDynamoDbLocal();
const FAR_FUTURE = Math.floor(Date.now() / 1000) + 86_400;

function item(id: string): StoredItem {
  return {
    id,
    feedId: "wire",
    title: "Russia and North Korea sign treaty",
    summary: "Putin and Kim Jong Un signed it in Pyongyang.",
    link: `https://news.example.com/${id}`,
    language: "en",
    feedName: "Wire",
    official: false,
    seenAt: "2026-11-28T10:00:00.000Z",
    match: {
      relevant: true,
      score: 0.9,
      severity: "high",
      entities: ["russia", "dprk", "treaty"],
      hits: [],
      rule: "both-sides-in-sentence",
      snippet: "«Russia» and «North Korea» sign «treaty»",
    },
  };
}

const NOW_ISO = "2026-11-28T12:00:00.000Z";

function story(id: string, version: number, firstSeen: string, eventAt = firstSeen): Story {
  return {
    id,
    eventAt,
    title: "t",
    severity: "normal",
    entities: [],
    signals: [],
    reports: [],
    outlets: [],
    confirmed: false,
    firstSeen,
    updatedAt: firstSeen,
    why: { rule: "r", snippet: "s", entities: [] },
    version,
  };
}

describe("item store (the outbox)", () => {
  it("inserts an item once and reports the second insert as a duplicate", async () => {
    const table = await ddb.freshTable();
    const store = createItemStore(ddb.doc, table.name);

    expect(await store.putIfNew(item("a"), FAR_FUTURE)).toBe(true);
    expect(await store.putIfNew({ ...item("a"), title: "edited title" }, FAR_FUTURE)).toBe(false);
    expect(await store.isProcessed("a")).toBe(false);
    await store.markProcessed("a", "2026-11-28~x", "2026-11-28T10:01:00.000Z");
    await store.markProcessed("a", "2026-11-28~x", "2026-11-28T10:02:00.000Z");
    expect(await store.isProcessed("a")).toBe(true);
  });

  it("streams each new item once, filtered to item inserts, as a Lambda event", async () => {
    const table = await ddb.freshTable();
    const store = createItemStore(ddb.doc, table.name);
    await store.putIfNew(item("s1"), FAR_FUTURE);
    await store.putIfNew(item("s1"), FAR_FUTURE);
    await store.putIfNew(item("s2"), FAR_FUTURE);
    await createFeedStateStore(ddb.doc, table.name).put(
      initialFeedState({ id: "wire", url: "http://127.0.0.1/x" }),
    );
    const pump = createStreamPump(ddb.local.streams, table.streamArn);
    const seen: string[] = [];

    const result = await pump.drain(async (event) => {
      for (const r of event.Records) seen.push(r.dynamodb?.NewImage?.id?.S ?? "?");
      return { batchItemFailures: [] };
    });
    const again = await pump.drain(async () => ({ batchItemFailures: [] }));

    expect(seen).toEqual(["s1", "s2"]);
    expect(result.failed).toHaveLength(0);
    expect(again.records).toBe(0);
  });

  it("retries a failed record from where it failed, then reports it", async () => {
    const table = await ddb.freshTable();
    const store = createItemStore(ddb.doc, table.name);
    for (const id of ["r1", "r2", "r3"]) await store.putIfNew(item(id), FAR_FUTURE);
    const pump = createStreamPump(ddb.local.streams, table.streamArn, { retryAttempts: 2, retryDelayMs: 1 });
    const calls: string[][] = [];

    const result = await pump.drain(async (event) => {
      const ids = event.Records.map((r) => r.dynamodb?.NewImage?.id?.S ?? "?");
      calls.push(ids);
      const bad = event.Records.find((r) => r.dynamodb?.NewImage?.id?.S === "r2");
      return { batchItemFailures: bad ? [{ itemIdentifier: bad.dynamodb?.SequenceNumber ?? "" }] : [] };
    });

    expect(calls).toEqual([
      ["r1", "r2", "r3"],
      ["r2", "r3"],
      ["r2", "r3"],
    ]);
    expect(result.failed.map((r) => r.dynamodb?.NewImage?.id?.S)).toEqual(["r2"]);
  });
});

describe("feed state store", () => {
  it("round-trips states and returns only the feeds it knows", async () => {
    const table = await ddb.freshTable();
    const states = createFeedStateStore(ddb.doc, table.name);
    const stored = {
      ...initialFeedState({ id: "a", url: "https://a.example/rss" }),
      etag: '"v1"',
      consecutiveFailures: 2,
    };
    await states.put(stored);

    const found = await states.getAll(["a", "b"]);

    expect(found.get("a")).toEqual(stored);
    expect(found.has("b")).toBe(false);
  });

  it("writes many states at once and reads them all back", async () => {
    const table = await ddb.freshTable();
    const states = createFeedStateStore(ddb.doc, table.name);
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...initialFeedState({ id: `f${i}`, url: `https://f${i}.example/rss` }),
      contentHash: `h${i}`,
    }));

    await Promise.all(many.map((state) => states.put(state)));
    const found = await states.getAll(many.map((s) => s.feedId));

    expect(found.size).toBe(60);
    expect(found.get("f59")).toEqual(many[59]);
  });
});

describe("story store", () => {
  it("creates once, updates only from the version it read, finds stories by event time across days", async () => {
    const table = await ddb.freshTable();
    const stories = createStoryStore(ddb.doc, table.name);
    const first = story("2026-11-27~aaa", 1, "2026-11-27T23:00:00.000Z");
    const second = story("2026-11-28~bbb", 1, "2026-11-28T01:00:00.000Z");

    expect(await stories.create(first, FAR_FUTURE)).toBe(true);
    expect(await stories.create(first, FAR_FUTURE)).toBe(false);
    expect(await stories.create(second, FAR_FUTURE)).toBe(true);
    expect(await stories.update({ ...first, title: "v2", version: 2 }, FAR_FUTURE)).toBe(true);
    expect(await stories.update({ ...first, title: "stale", version: 2 }, FAR_FUTURE)).toBe(false);

    const around = await stories.aroundEvent("2026-11-27T00:00:00.000Z", "2026-11-28T12:00:00.000Z", NOW_ISO);
    expect(around.map((s) => s.id)).toEqual(["2026-11-28~bbb", "2026-11-27~aaa"]);
    expect((await stories.get(first.id))?.title).toBe("v2");
    expect(
      await stories.aroundEvent("2026-11-28T00:30:00.000Z", "2026-11-28T12:00:00.000Z", NOW_ISO),
    ).toHaveLength(1);
  });

  it("finds a story by its event day for placement and by the day it was first seen for the digest", async () => {
    const table = await ddb.freshTable();
    const stories = createStoryStore(ddb.doc, table.name);
    // An archive item first seen today about an event of two years ago.
    const old = story("2024-06-19~old", 1, "2026-11-28T09:00:00.000Z", "2024-06-19T08:00:00.000Z");
    await stories.create(old, FAR_FUTURE);

    const today = ["2026-11-28T00:00:00.000Z", "2026-11-28T12:00:00.000Z", NOW_ISO] as const;
    expect(await stories.aroundEvent(...today)).toHaveLength(0);
    expect((await stories.firstSeenBetween(...today)).map((s) => s.id)).toEqual(["2024-06-19~old"]);
    const june = await stories.aroundEvent("2024-06-18T12:00:00.000Z", "2024-06-20T00:00:00.000Z", NOW_ISO);
    expect(june.map((s) => s.id)).toEqual(["2024-06-19~old"]);
  });

  it("ignores stories whose TTL has passed even before DynamoDB deletes them", async () => {
    const table = await ddb.freshTable();
    const stories = createStoryStore(ddb.doc, table.name);
    await stories.create(story("2026-11-28~old", 1, "2026-11-28T01:00:00.000Z"), 1_000);

    const day = ["2026-11-28T00:00:00.000Z", "2026-11-28T12:00:00.000Z", NOW_ISO] as const;
    expect(await stories.aroundEvent(...day)).toHaveLength(0);
    expect(await stories.firstSeenBetween(...day)).toHaveLength(0);
  });

  it("lists the UTC days a window spans", () => {
    expect(daysBetween("2026-11-26T22:00:00Z", "2026-11-28T01:00:00Z")).toEqual([
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
    ]);
  });
});

describe("delivery ledger", () => {
  const key = { storyId: "2026-11-28~s", stage: "new", audience: "UTC" };
  // The rows' TTL is computed from the claim's clock, and DynamoDB (and DynamoDB Local's TTL job)
  // expire rows by the wall clock: a clock next to the wall clock keeps every row alive here.
  const wallClockMinute = () => new Date(Math.floor(Date.now() / 60_000) * 60_000);

  it("lets one claimant publish, tells others it is in progress, then that it was sent", async () => {
    const table = await ddb.freshTable();
    const first = createDeliveryLedger(ddb.doc, table.name, 86_400);
    const second = createDeliveryLedger(ddb.doc, table.name, 86_400);
    const now = wallClockMinute();

    expect(await first.claim(key, now, 60_000)).toBe("claimed");
    expect(await second.claim(key, now, 60_000)).toBe("in-progress");
    expect(await second.claim(key, new Date(now.getTime() + 59_000), 60_000)).toBe("in-progress");
    await first.complete(key, now, "msg-1");
    expect(await second.claim(key, new Date(now.getTime() + 3_600_000), 60_000)).toBe("already-sent");
  });

  it("hands an abandoned claim to the next attempt after the lease, and a released one at once", async () => {
    const table = await ddb.freshTable();
    const ledger = createDeliveryLedger(ddb.doc, table.name, 86_400);
    const now = wallClockMinute();

    await ledger.claim(key, now, 60_000);
    expect(await ledger.claim(key, new Date(now.getTime() + 30_000), 60_000)).toBe("in-progress");
    expect(await ledger.claim(key, new Date(now.getTime() + 61_000), 60_000)).toBe("claimed");
    await ledger.release(key);
    expect(await ledger.claim(key, new Date(now.getTime() + 62_000), 60_000)).toBe("claimed");
  });

  it("never lets a claimant whose lease ran out give back or complete the claim the next attempt holds", async () => {
    // A slow publish outlives its lease, the next attempt takes the claim over, then the slow one
    // fails and releases: the new holder's lease is valid, so a third attempt must not win.
    const table = await ddb.freshTable();
    const slow = createDeliveryLedger(ddb.doc, table.name, 86_400);
    const next = createDeliveryLedger(ddb.doc, table.name, 86_400);
    const third = createDeliveryLedger(ddb.doc, table.name, 86_400);
    const now = wallClockMinute();

    expect(await slow.claim(key, now, 60_000)).toBe("claimed");
    expect(await next.claim(key, new Date(now.getTime() + 61_000), 60_000)).toBe("claimed");
    await slow.release(key);
    expect(await third.claim(key, new Date(now.getTime() + 62_000), 60_000)).toBe("in-progress");
    await slow.complete(key, new Date(now.getTime() + 62_000), "late");
    expect(await third.claim(key, new Date(now.getTime() + 63_000), 60_000)).toBe("in-progress");
    await next.complete(key, new Date(now.getTime() + 64_000), "msg-2");
    expect(await third.claim(key, new Date(now.getTime() + 65_000), 60_000)).toBe("already-sent");
  });

  it("keeps a claim whose write DynamoDB applied but whose answer was lost and retried by the SDK", async () => {
    const table = await ddb.freshTable();
    const client = ddb.newClient();
    const faults = injectDynamoFaults(client, {
      rate: 1,
      random: seededRandom(1),
      kinds: ["lost-answer"],
      commands: ["PutItemCommand"],
      limit: 1,
    });
    const ledger = createDeliveryLedger(createDocumentClient(client), table.name, 86_400);
    const other = createDeliveryLedger(ddb.doc, table.name, 86_400);
    const now = wallClockMinute();

    // Only the first attempt loses its answer; the SDK's retry meets the row it wrote itself.
    expect(await ledger.claim(key, now, 60_000)).toBe("claimed");
    expect(faults.injected["lost-answer"]).toBe(1);
    expect(await other.claim(key, now, 60_000)).toBe("in-progress");
    client.destroy();
  });
});
