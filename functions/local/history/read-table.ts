// The history's one read: every row of the table (local or deployed), sorted into what the pipeline
// stored — matched items, stories, deliveries. A Scan: the table holds weeks of one topic's news
// (TTL removes the rest), a few thousand rows at most.
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { itemFromRow } from "#shared/adapters/dynamodb/item-store.ts";
import type { StoredItem, Story } from "#shared/domain/types.ts";
import { ROW_PREFIX } from "#shared/table.ts";

export interface StoredMatch extends StoredItem {
  /** The story the notifier placed it in, once it has. */
  storyId?: string;
}

/** One publish recorded by the delivery ledger: a story step for one audience (time zone). */
export interface Delivery {
  storyId: string;
  /** The story's publish key: "new", "escalated", "confirmed-2", … */
  stage: string;
  audience: string;
  status: string;
  sentAt?: string;
  claimedAt?: string;
}

export interface HistoryData {
  matches: StoredMatch[];
  stories: Story[];
  deliveries: Delivery[];
}

export async function readHistory(
  doc: DynamoDBDocumentClient,
  tableName: string,
  now: Date,
): Promise<HistoryData> {
  const data: HistoryData = { matches: [], stories: [], deliveries: [] };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    for (const row of page.Items ?? []) {
      // TTL deletion lags by up to two days; an expired row is history no more.
      if (typeof row.expiresAt === "number" && row.expiresAt <= nowSeconds) continue;
      sortRow(row, data);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  data.matches.sort((a, b) => b.seenAt.localeCompare(a.seenAt));
  data.stories.sort((a, b) => b.firstSeen.localeCompare(a.firstSeen));
  data.deliveries.sort((a, b) =>
    (b.sentAt ?? b.claimedAt ?? "").localeCompare(a.sentAt ?? a.claimedAt ?? ""),
  );
  return data;
}

function sortRow(row: Record<string, unknown>, data: HistoryData): void {
  const pk = String(row.pk ?? "");
  if (pk.startsWith(ROW_PREFIX.item)) {
    const storyId = typeof row.storyId === "string" ? row.storyId : undefined;
    data.matches.push({ ...itemFromRow(row), ...(storyId ? { storyId } : {}) });
  } else if (pk.startsWith(ROW_PREFIX.stories) && row.story) {
    data.stories.push(row.story as Story);
  } else if (pk.startsWith(ROW_PREFIX.delivery)) {
    const [, storyId, stage, ...zone] = pk.split("#");
    if (!storyId || !stage) return;
    data.deliveries.push({
      storyId,
      stage,
      audience: zone.join("#"),
      status: String(row.status ?? "unknown"),
      ...(typeof row.sentAt === "string" ? { sentAt: row.sentAt } : {}),
      ...(typeof row.claimedAt === "number" ? { claimedAt: new Date(row.claimedAt).toISOString() } : {}),
    });
  }
}
