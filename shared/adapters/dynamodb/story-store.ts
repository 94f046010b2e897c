import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { storyEventAt } from "../../domain/story.ts";
import type { Story } from "../../domain/types.ts";
import type { StoryStore } from "../../ports.ts";
import { keys, TABLE } from "../../table.ts";
import { conditionalWrite } from "./errors.ts";

const DAY_MS = 86_400_000;

export function createStoryStore(doc: DynamoDBDocumentClient, tableName: string): StoryStore {
  /** Every story under one partition key value (`name` = `value`) of the table or the index, expired rows left out. */
  async function queryAll(name: string, value: string, now: string, indexName?: string): Promise<Story[]> {
    const stories: Story[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexName,
          KeyConditionExpression: "#key = :key",
          // TTL deletion lags by up to two days: expired rows are filtered here.
          FilterExpression: "expiresAt > :now",
          ExpressionAttributeNames: { "#key": name },
          ExpressionAttributeValues: { ":key": value, ":now": Math.floor(Date.parse(now) / 1000) },
          // A global secondary index can only be read eventually consistent (fine for a digest).
          ConsistentRead: indexName === undefined,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const row of out.Items ?? []) stories.push(row.story as Story);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return stories;
  }

  return {
    async aroundEvent(from, to, now) {
      // One query per day partition, all at once: a placement waits for one round trip, not three.
      const days = await Promise.all(
        daysBetween(from, to).map((day) => queryAll(TABLE.partitionKey, keys.storyDay(day).pk, now)),
      );
      const stories = days.flat().filter((story) => {
        const at = storyEventAt(story);
        return at >= from && at <= to;
      });
      return stories.sort((a, b) => storyEventAt(b).localeCompare(storyEventAt(a)));
    },

    async firstSeenBetween(from, to, now) {
      const stories: Story[] = [];
      for (const day of daysBetween(from, to)) {
        for (const story of await queryAll(TABLE.seenIndex.partitionKey, day, now, TABLE.seenIndex.name)) {
          if (story.firstSeen >= from && story.firstSeen <= to) stories.push(story);
        }
      }
      return stories.sort((a, b) => b.firstSeen.localeCompare(a.firstSeen));
    },

    create(story, expiresAt) {
      return conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: storyRow(story, expiresAt),
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    update(story, expiresAt) {
      return conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: storyRow(story, expiresAt),
            // Optimistic lock: two notifiers joining the same story cannot overwrite each other.
            ConditionExpression: "version = :previous",
            ExpressionAttributeValues: { ":previous": story.version - 1 },
          }),
        ),
      );
    },

    async get(storyId) {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.story(storyId), ConsistentRead: true }),
      );
      return out.Item?.story as Story | undefined;
    },
  };
}

function storyRow(story: Story, expiresAt: number) {
  return {
    ...keys.story(story.id),
    kind: "story",
    [TABLE.seenIndex.partitionKey]: story.firstSeen.slice(0, 10),
    story,
    version: story.version,
    expiresAt,
  };
}

/** UTC days from since's day to now's day, inclusive. */
export function daysBetween(sinceIso: string, nowIso: string): string[] {
  const days: string[] = [];
  const end = Date.parse(nowIso.slice(0, 10));
  for (let t = Date.parse(sinceIso.slice(0, 10)); t <= end; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
