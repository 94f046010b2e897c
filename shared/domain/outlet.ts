// Who published a stored report. Normally the configured feed; for an aggregator's item (a news
// search feed) the outlet it names, so ten outlets found through one search count as ten.
import type { FeedConfig } from "../config/schema.ts";
import type { NewsItem, StoredItem } from "./types.ts";

export function storedOutlet(
  item: Pick<NewsItem, "feedId" | "outlet">,
  feed: Pick<FeedConfig, "id" | "name">,
): Pick<StoredItem, "feedId" | "feedName"> {
  if (item.outlet) return { feedId: item.outlet.id, feedName: item.outlet.name };
  return { feedId: item.feedId, feedName: feed.name ?? feed.id };
}
