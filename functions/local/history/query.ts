// What `npm run history` shows, from what the table holds: matches, stories with their outlets,
// and alerts with who they went to and why. Pure: the table was read before (read-table.ts).
import type { SubscriberConfig } from "#shared/config/schema.ts";
import { alertAttributes, outletNames, whyLabels } from "#shared/domain/format.ts";
import { filterPolicyFor, policyAccepts } from "#shared/domain/subscriptions.ts";
import type { Story, StoryPublish } from "#shared/domain/types.ts";
import type { AlertAttributes } from "#shared/ports.ts";
import { maskEndpoint } from "./mask.ts";
import type { Delivery, HistoryData, StoredMatch } from "./read-table.ts";

export interface HistoryFilter {
  /** Only what happened at or after this instant (ISO). */
  since?: string;
  /** Only what names this watch-list entity id (or side). */
  entity?: string;
  /** Only what contains this text (case-insensitive) in a title or summary. */
  grep?: string;
}

export interface MatchView {
  seenAt: string;
  feedId: string;
  feedName: string;
  title: string;
  link: string | null;
  published: string | null;
  rule: string;
  severity: string;
  entities: string[];
  storyId: string | null;
}

export interface Recipient {
  subscriber: string;
  protocol: string;
  /** Masked: "d***@newsroom.test", "+•••••••••23". */
  endpoint: string;
}

export interface AlertView {
  at: string | null;
  status: string;
  storyId: string;
  stage: string;
  audience: string;
  title: string;
  /** Who the subscriptions' filter policies let it through to, judged by the current config. */
  recipients: Recipient[];
  why: string;
}

export interface StoryView {
  id: string;
  firstSeen: string;
  eventAt: string | null;
  title: string;
  severity: string;
  outlets: string[];
  reports: Array<{ feedName: string; title: string; link: string | null; official: boolean }>;
  why: string;
  notAlerted: string | null;
  alerts: AlertView[];
}

export interface HistoryView {
  matches: MatchView[];
  stories: StoryView[];
  alerts: AlertView[];
}

export function historyView(
  data: HistoryData,
  subscribers: SubscriberConfig[],
  filter: HistoryFilter,
): HistoryView {
  const storiesById = new Map(data.stories.map((story) => [story.id, story]));
  const alerts = data.deliveries
    .map((delivery) => alertView(delivery, storiesById.get(delivery.storyId), subscribers))
    .filter((alert) => alertPasses(alert, storiesById.get(alert.storyId), filter));
  const stories = data.stories
    .filter((story) => storyPasses(story, filter))
    .map((story) =>
      storyView(
        story,
        alerts.filter((alert) => alert.storyId === story.id),
      ),
    );
  const matches = data.matches.filter((match) => matchPasses(match, filter)).map(matchView);
  return { matches, stories, alerts };
}

function matchView(item: StoredMatch): MatchView {
  return {
    seenAt: item.seenAt,
    feedId: item.feedId,
    feedName: item.feedName,
    title: item.title,
    link: item.link ?? null,
    published: item.published ?? null,
    rule: item.match.rule,
    severity: item.match.severity,
    entities: item.match.entities,
    storyId: item.storyId ?? null,
  };
}

function storyView(story: Story, alerts: AlertView[]): StoryView {
  return {
    id: story.id,
    firstSeen: story.firstSeen,
    eventAt: story.eventAt ?? null,
    title: story.title,
    severity: story.severity,
    outlets: outletNames(story),
    reports: story.reports.map((r) => ({
      feedName: r.feedName,
      title: r.title,
      link: r.link ?? null,
      official: r.official,
    })),
    why: whyOf(story),
    notAlerted: story.stale
      ? `older than ${story.stale.maxAgeHours} h when first seen: recorded, not alerted`
      : null,
    alerts,
  };
}

function whyOf(story: Story): string {
  return `${story.why.rule}: ${whyLabels(story).join(", ")}${story.why.snippet ? ` — ${story.why.snippet}` : ""}`;
}

function alertView(delivery: Delivery, story: Story | undefined, subscribers: SubscriberConfig[]): AlertView {
  const base = {
    at: delivery.sentAt ?? delivery.claimedAt ?? null,
    status: delivery.status,
    storyId: delivery.storyId,
    stage: delivery.stage,
    audience: delivery.audience,
  };
  if (delivery.stage === "digest") {
    const attributes = { kind: "digest", stage: "digest", audience: delivery.audience } as AlertAttributes;
    return {
      ...base,
      title: `daily digest ${delivery.storyId.replace(/^digest-/, "")}`,
      recipients: recipients(attributes, subscribers),
      why: "the daily digest",
    };
  }
  const publish = story?.publishes?.find((p) => p.key === delivery.stage);
  if (!story || !publish) {
    return {
      ...base,
      title: "(story no longer stored)",
      recipients: [],
      why: "unknown: the story row has expired",
    };
  }
  const attributes = {
    ...alertAttributes(story, publish, delivery.audience),
    severity: severityAt(story, publish),
  };
  return {
    ...base,
    title: story.title,
    recipients: recipients(attributes, subscribers),
    why: `${stageWhy(story, publish)}; ${whyOf(story)}`,
  };
}

/** The story's severity when this publish went out: high from its escalation on, normal before. */
function severityAt(story: Story, publish: StoryPublish): string {
  const publishes = story.publishes ?? [];
  const escalation = publishes.findIndex((p) => p.stage === "escalated");
  if (escalation < 0) return story.severity;
  return publishes.indexOf(publish) >= escalation ? "high" : "normal";
}

function stageWhy(story: Story, publish: StoryPublish): string {
  if (publish.stage === "escalated") return "severity raised to high";
  if (publish.stage === "confirmed")
    return `confirmed at level ${publish.level} (${story.outlets.length} outlets now)`;
  return `new story (${story.severity})`;
}

function recipients(attributes: AlertAttributes, subscribers: SubscriberConfig[]): Recipient[] {
  return subscribers
    .filter((subscriber) => policyAccepts(filterPolicyFor(subscriber), attributes))
    .map((subscriber) => ({
      subscriber: subscriber.id,
      protocol: subscriber.protocol,
      endpoint: maskEndpoint(subscriber.endpoint),
    }));
}

function contains(texts: Array<string | undefined>, needle: string | undefined): boolean {
  if (!needle) return true;
  const lower = needle.toLowerCase();
  return texts.some((text) => text?.toLowerCase().includes(lower));
}

function matchPasses(item: StoredMatch, filter: HistoryFilter): boolean {
  if (filter.since && item.seenAt < filter.since) return false;
  if (
    filter.entity &&
    !item.match.entities.includes(filter.entity) &&
    !item.match.hits.some((h) => h.side === filter.entity)
  )
    return false;
  return contains([item.title, item.summary], filter.grep);
}

function storyPasses(story: Story, filter: HistoryFilter): boolean {
  if (filter.since && story.updatedAt < filter.since) return false;
  if (filter.entity && !story.entities.includes(filter.entity)) return false;
  return contains([story.title, ...story.reports.map((r) => r.title)], filter.grep);
}

function alertPasses(alert: AlertView, story: Story | undefined, filter: HistoryFilter): boolean {
  if (filter.since && (alert.at ?? "") < filter.since) return false;
  if (!filter.entity && !filter.grep) return true;
  return story !== undefined && storyPasses({ ...story, updatedAt: filter.since ?? story.updatedAt }, filter);
}
