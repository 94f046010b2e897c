// The single table's layout, defined once: the CDK stack, the DynamoDB adapters and the local run
// all read it from here, so a local table is the deployed table.

export const TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Epoch seconds; DynamoDB deletes the row within about two days after it. Readers filter too. */
  ttlAttribute: "expiresAt",
  /** Only new matched items wake the notifier, so the stream carries new images. */
  streamView: "NEW_IMAGE",
  /**
   * Stories are partitioned by the day of their event; the digest asks for the stories first seen
   * on a day, whatever their events' dates (a backfilled feed's old news), through this sparse
   * index: only story rows carry its key.
   */
  seenIndex: { name: "BySeenDay", partitionKey: "seenDay", sortKey: "sk" },
} as const;

/**
 * The partition key prefix of each row kind, for IAM's dynamodb:LeadingKeys: each function's role
 * names the row kinds it touches (keys above build every key from these).
 */
export const ROW_PREFIX = {
  feed: "FEED#",
  item: "ITEM#",
  stories: "STORIES#",
  delivery: "DELIVERY#",
  digest: "DIGEST#",
} as const;

/** Row kinds and how their keys are built. One place, so no adapter invents its own. */
export const keys = {
  feedState: (feedId: string) => ({ pk: `${ROW_PREFIX.feed}${feedId}`, sk: "STATE" }),
  item: (itemId: string) => ({ pk: `${ROW_PREFIX.item}${itemId}`, sk: "ITEM" }),
  /**
   * Stories live in a partition per UTC day of their event (the id's prefix), so the stories around
   * an event time are a few Queries.
   */
  story: (storyId: string) => ({ pk: `${ROW_PREFIX.stories}${storyDay(storyId)}`, sk: `STORY#${storyId}` }),
  storyDay: (day: string) => ({ pk: `${ROW_PREFIX.stories}${day}` }),
  /** The idempotency record of one publish: a story at one stage. */
  delivery: (storyId: string, stage: string, audience: string) => ({
    pk: `${ROW_PREFIX.delivery}${storyId}#${stage}#${audience}`,
    sk: "DELIVERY",
  }),
  digest: (day: string) => ({ pk: `${ROW_PREFIX.digest}${day}`, sk: "DIGEST" }),
} as const;

/** Story ids start with their UTC day: `2026-11-28~<hash>`. */
export function storyDay(storyId: string): string {
  const day = storyId.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`Not a story id: ${storyId}`);
  return day;
}
