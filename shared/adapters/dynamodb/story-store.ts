import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Story } from "../../domain/types.ts";
import type { StoryStore } from "../../ports.ts";
import { keys } from "../../table.ts";
import { conditionalWrite } from "./errors.ts";

const DAY_MS = 86_400_000;

export function createStoryStore(doc: DynamoDBDocumentClient, tableName: string): StoryStore {
  return {
    async recent(since, now) {
      const nowSeconds = Math.floor(Date.parse(now) / 1000);
      const stories: Story[] = [];
      for (const day of daysBetween(since, now)) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const out = await doc.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: "pk = :pk",
              // TTL deletion lags by up to two days: expired rows are filtered here.
              FilterExpression: "expiresAt > :now",
              ExpressionAttributeValues: { ":pk": keys.storyDay(day).pk, ":now": nowSeconds },
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
            }),
          );
          for (const row of out.Items ?? []) {
            const story = row.story as Story;
            if (story.firstSeen >= since) stories.push(story);
          }
          startKey = out.LastEvaluatedKey;
        } while (startKey);
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
  return { ...keys.story(story.id), kind: "story", story, version: story.version, expiresAt };
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
