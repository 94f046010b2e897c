// In-memory FeedStateStore, FeedLeaseStore and ItemStore for tests that run thousands of feeds,
// where DynamoDB Local would take minutes. The lease keeps the DynamoDB adapter's semantics (a
// contract test runs both through the same cases: tests/integration/feed-leases.test.ts); a check
// and a set with no await between them are atomic in one event loop, as the conditional write is.
import type { FeedSchedule } from "#shared/domain/dispatch.ts";
import type { FeedLease, FeedLeaseStore, FeedState, FeedStateStore, ItemStore } from "#shared/ports.ts";

export interface MemoryFeedStore {
  states: FeedStateStore;
  leases: FeedLeaseStore;
  rows: Map<string, { state?: FeedState; polledAt?: string; leaseUntil?: number }>;
}

export function createMemoryFeedStore(): MemoryFeedStore {
  const rows = new Map<string, { state?: FeedState; polledAt?: string; leaseUntil?: number }>();
  const row = (feedId: string) => {
    let found = rows.get(feedId);
    if (!found) {
      found = {};
      rows.set(feedId, found);
    }
    return found;
  };
  return {
    rows,
    states: {
      async getAll(feedIds) {
        return new Map(
          feedIds.flatMap((id) => {
            const state = rows.get(id)?.state;
            return state ? [[id, structuredClone(state)] as const] : [];
          }),
        );
      },
      async put(state) {
        row(state.feedId).state = structuredClone(state);
      },
    },
    leases: {
      async schedules(feedIds) {
        const found = new Map<string, FeedSchedule>();
        for (const id of feedIds) {
          const stored = rows.get(id);
          if (stored) found.set(id, structuredClone(stored));
        }
        return found;
      },
      async acquire(feedId, now, leaseMs) {
        const stored = row(feedId);
        if (stored.leaseUntil !== undefined && stored.leaseUntil > now.getTime()) return undefined;
        const lease: FeedLease = {
          feedId,
          leaseUntil: now.getTime() + leaseMs,
          ...(stored.polledAt === undefined ? {} : { previousPolledAt: stored.polledAt }),
        };
        stored.leaseUntil = lease.leaseUntil;
        stored.polledAt = now.toISOString();
        return lease;
      },
      async release(lease) {
        const stored = rows.get(lease.feedId);
        if (stored?.leaseUntil !== lease.leaseUntil) return;
        delete stored.leaseUntil;
        if (lease.previousPolledAt === undefined) delete stored.polledAt;
        else stored.polledAt = lease.previousPolledAt;
      },
    },
  };
}

export function createMemoryItemStore(): ItemStore & { ids: Set<string> } {
  const ids = new Set<string>();
  return {
    ids,
    async putIfNew(item) {
      if (ids.has(item.id)) return false;
      ids.add(item.id);
      return true;
    },
  };
}
