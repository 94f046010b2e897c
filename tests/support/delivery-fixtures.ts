// Builders for the delivery tests: stored items as the matcher would leave them, and subscribers as
// the config schema would parse them.
import type { SubscriberConfig } from "#shared/config/schema.ts";
import type { EntityHit, EntitySide, Severity, StoredItem } from "#shared/domain/types.ts";
import { defaultWatchList } from "#shared/domain/watchlist/index.ts";

// Sides as in the bundled watch list (shared/domain/match/default-watchlist.ts).
const SIDES: Record<string, EntitySide> = {
  russia: "russia",
  moscow: "russia",
  kremlin: "russia",
  putin: "russia",
  lavrov: "russia",
  kursk: "russia",
  "russian-far-east": "russia",
  dprk: "dprk",
  pyongyang: "dprk",
  "kim-jong-un": "dprk",
  "dprk-officials": "dprk",
  kcna: "dprk",
};

export interface ItemSpec {
  id: string;
  feedId: string;
  title: string;
  summary?: string;
  language?: string;
  /** Entity ids found in the title; the matcher's order of first appearance. */
  titleEntities?: string[];
  /** Entity ids found only in the summary. */
  summaryEntities?: string[];
  severity?: Severity;
  official?: boolean;
  feedName?: string;
  link?: string | null;
  published?: string;
  seenAt?: string;
}

/** A matched item: the parties are always present, as in every relevant item. */
export function storedItem(spec: ItemSpec): StoredItem {
  const titleEntities = spec.titleEntities ?? ["russia", "dprk"];
  const summaryEntities = (spec.summaryEntities ?? []).filter((e) => !titleEntities.includes(e));
  const hits: EntityHit[] = [
    ...titleEntities.map((entity) => hit(entity, "title")),
    ...summaryEntities.map((entity) => hit(entity, "summary")),
  ];
  const entities = [...titleEntities, ...summaryEntities];
  const item: StoredItem = {
    id: spec.id,
    feedId: spec.feedId,
    feedName: spec.feedName ?? `Outlet ${spec.feedId}`,
    title: spec.title,
    summary: spec.summary ?? "",
    language: spec.language ?? "en",
    official: spec.official ?? false,
    seenAt: spec.seenAt ?? "2026-11-28T09:00:00.000Z",
    match: {
      relevant: true,
      score: 0.9,
      severity: spec.severity ?? "normal",
      entities,
      hits,
      rule: "both-sides-in-sentence",
      snippet: `«${spec.title}»`,
    },
  };
  if (spec.link !== null) item.link = spec.link ?? `https://${spec.feedId}.example.com/${spec.id}`;
  if (spec.published !== undefined) item.published = spec.published;
  return item;
}

/** The bundled watch list's labels, as the matcher would give them. */
const LABELS = new Map(defaultWatchList.entities.map((entity) => [entity.id, entity.label]));

function hit(entity: string, field: "title" | "summary"): EntityHit {
  return {
    entity,
    label: LABELS.get(entity) ?? entity,
    side: SIDES[entity] ?? "topic",
    text: entity,
    field,
    start: 0,
    end: 1,
  };
}

export function subscriber(spec: Partial<SubscriberConfig> & Pick<SubscriberConfig, "id">): SubscriberConfig {
  const protocol = spec.protocol ?? "email";
  return {
    protocol,
    endpoint: protocol === "email" ? `${spec.id}@example.com` : "+15551234567",
    minSeverity: "normal",
    entities: [],
    languages: [],
    mode: "immediate",
    minOutlets: 1,
    timeZone: "UTC",
    ...spec,
  };
}

export const NOW = new Date("2026-11-28T10:00:00.000Z");

export function hoursAfter(date: Date, hours: number): Date {
  return new Date(date.getTime() + hours * 3_600_000);
}
