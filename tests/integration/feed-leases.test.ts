// The feed lease on DynamoDB Local and in memory, through the same cases: one poll of a feed at a
// time, a lease that runs out on its own, a release that restores the feed's place in line, and a
// state write that leaves the lease alone. The 5,000-feed test relies on the two agreeing.
import { describe, expect, it } from "vitest";
import { createDocumentClient } from "#shared/adapters/dynamodb/document-client.ts";
import { createFeedLeaseStore } from "#shared/adapters/dynamodb/feed-lease-store.ts";
import { createFeedStateStore } from "#shared/adapters/dynamodb/feed-state-store.ts";
import type { FeedLeaseStore, FeedStateStore } from "#shared/ports.ts";
import { initialFeedState } from "#shared/ports.ts";
import { useDynamoDbLocal } from "../support/dynamodb.ts";
import { createMemoryFeedStore } from "../support/memory-stores.ts";

const ddb = useDynamoDbLocal();
const T0 = new Date("2026-12-07T12:00:00.000Z");
const LEASE_MS = 270_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

const implementations: [string, () => Promise<{ leases: FeedLeaseStore; states: FeedStateStore }>][] = [
  [
    "DynamoDB",
    async () => {
      const table = await ddb.freshTable();
      return {
        leases: createFeedLeaseStore(ddb.doc, table.name),
        states: createFeedStateStore(ddb.doc, table.name),
      };
    },
  ],
  ["memory", async () => createMemoryFeedStore()],
];

describe.each(implementations)("feed leases (%s)", (_name, create) => {
  it("lets one of two concurrent workers take a feed, and another only after the lease ran out", async () => {
    const { leases } = await create();

    const [first, second] = await Promise.all([
      leases.acquire("a", T0, LEASE_MS),
      leases.acquire("a", T0, LEASE_MS),
    ]);
    const stillHeld = await leases.acquire("a", at(LEASE_MS - 1), LEASE_MS);
    const afterExpiry = await leases.acquire("a", at(LEASE_MS), LEASE_MS);

    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(stillHeld).toBeUndefined();
    expect(afterExpiry).toEqual({
      feedId: "a",
      leaseUntil: T0.getTime() + 2 * LEASE_MS,
      previousPolledAt: T0.toISOString(),
    });
    const schedule = (await leases.schedules(["a", "b"])).get("a");
    expect(schedule).toMatchObject({
      polledAt: at(LEASE_MS).toISOString(),
      leaseUntil: T0.getTime() + 2 * LEASE_MS,
    });
    expect((await leases.schedules(["a", "b"])).has("b")).toBe(false);
  });

  it("gives a released feed back its old poll time, and ignores a release of someone else's lease", async () => {
    const { leases } = await create();
    const first = await leases.acquire("a", T0, LEASE_MS);
    const mine = await leases.acquire("a", at(LEASE_MS), LEASE_MS);
    if (!first || !mine) throw new Error("both leases should be taken");

    await leases.release(first);
    expect((await leases.schedules(["a"])).get("a")?.leaseUntil).toBe(mine.leaseUntil);
    await leases.release(mine);

    const schedule = (await leases.schedules(["a"])).get("a");
    expect(schedule?.polledAt).toBe(T0.toISOString());
    expect(schedule?.leaseUntil).toBeUndefined();
    expect(await leases.acquire("a", at(LEASE_MS + 1), LEASE_MS)).toBeDefined();
  });

  it("keeps the lease when the worker writes the feed's state, and shows both to the dispatcher", async () => {
    const { leases, states } = await create();
    const lease = await leases.acquire("a", T0, LEASE_MS);
    const state = { ...initialFeedState({ id: "a", url: "https://a.test/rss" }), etag: '"v2"' };

    await states.put(state);

    expect(await leases.acquire("a", at(1), LEASE_MS)).toBeUndefined();
    expect((await leases.schedules(["a"])).get("a")).toEqual({
      state,
      polledAt: T0.toISOString(),
      leaseUntil: lease?.leaseUntil,
    });
    expect((await states.getAll(["a"])).get("a")).toEqual(state);
  });
});

describe("feed state reads on DynamoDB: what each costs", () => {
  it("plans from eventually consistent reads (half a read unit) and polls from strongly consistent ones", async () => {
    const table = await ddb.freshTable();
    const client = ddb.newClient();
    const reads: { op: string; consistent: unknown }[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, { ConsistentRead?: boolean }> };
        if (context.commandName === "BatchGetItemCommand") {
          reads.push({ op: "batchGet", consistent: input.RequestItems?.[table.name]?.ConsistentRead });
        }
        return next(args);
      },
      { step: "initialize", name: "recordConsistentRead" },
    );
    const doc = createDocumentClient(client);
    const leases = createFeedLeaseStore(doc, table.name);
    const states = createFeedStateStore(doc, table.name);
    await states.put(initialFeedState({ id: "a", url: "https://a.test/rss" }));

    expect((await leases.schedules(["a"])).get("a")?.state?.feedId).toBe("a");
    expect((await states.getAll(["a"])).get("a")?.feedId).toBe("a");

    expect(reads).toEqual([
      { op: "batchGet", consistent: false },
      { op: "batchGet", consistent: true },
    ]);
  });
});
