// The watch list a deployment runs with: the bundled document, extended by the config (an entity
// with a known id gets its aliases added and its given fields overridden), or replaced by it.
import type { Lexicon } from "./lexicon-schema.ts";
import bundled from "./russia-dprk.json" with { type: "json" };
import {
  parseWatchList,
  TOPIC_SIDE,
  type WatchEntity,
  type WatchList,
  type WatchListConfig,
  type WatchListEntityConfig,
  type WatchSide,
} from "./schema.ts";

/** The bundled document, validated once: a malformed file fails at cold start, naming the path. */
export const defaultWatchList: WatchList = parseWatchList(bundled, "bundled watch list (russia-dprk.json)");

/** What a new entity weighs when its config gives no weight: a clear but not decisive mention. */
const DEFAULT_ENTITY_WEIGHT = 0.8;

export function resolveWatchList(config?: WatchListConfig): WatchList {
  if (!config) return defaultWatchList;
  if (config.mode === "replace") {
    const entities = config.entities.map((entity) => completeEntity(entity));
    const sides = config.sides ?? sidesNamedBy(entities);
    return parseWatchList(
      {
        story: {
          name: `${sides[0].label}-${sides[1].label} relations`,
          tag: tagOf(sides),
          pairLabel: `${sides[0].label} and ${sides[1].label}`,
          ...config.story,
        },
        sides,
        entities,
        falseFriends: config.falseFriends ?? [],
        listCues: config.listCues ?? [],
        roundupCues: config.roundupCues ?? [],
        thirdParties: config.thirdParties ?? [],
        backdropCarriers: config.backdropCarriers ?? [],
        ...(config.lexicon ? { lexicon: config.lexicon } : {}),
      },
      "watch list of the config (mode replace)",
    );
  }
  const byId = new Map(defaultWatchList.entities.map((entity) => [entity.id, entity]));
  for (const entity of config.entities) {
    const known = byId.get(entity.id);
    byId.set(entity.id, known ? mergeEntity(known, entity) : completeEntity(entity));
  }
  return parseWatchList(
    {
      ...defaultWatchList,
      story: { ...defaultWatchList.story, ...config.story },
      sides: config.sides ?? defaultWatchList.sides,
      entities: [...byId.values()],
      falseFriends: [...defaultWatchList.falseFriends, ...(config.falseFriends ?? [])],
      listCues: [...defaultWatchList.listCues, ...(config.listCues ?? [])],
      roundupCues: [...defaultWatchList.roundupCues, ...(config.roundupCues ?? [])],
      thirdParties: [...defaultWatchList.thirdParties, ...(config.thirdParties ?? [])],
      backdropCarriers: [...defaultWatchList.backdropCarriers, ...(config.backdropCarriers ?? [])],
      lexicon: config.lexicon
        ? extendLexicon(defaultWatchList.lexicon, config.lexicon)
        : defaultWatchList.lexicon,
    },
    "watch list of the config (mode extend)",
  );
}

/** A replacing list that declares no sides: the two side ids its entities use, labelled by their ids. */
function sidesNamedBy(entities: readonly WatchEntity[]): [WatchSide, WatchSide] {
  const ids = [...new Set(entities.map((entity) => entity.side).filter((side) => side !== TOPIC_SIDE))];
  if (ids.length !== 2)
    throw new Error(
      `A replacing watch list needs exactly two sides; its entities name ${ids.length} (${ids.join(", ")}): declare "sides"`,
    );
  return [
    { id: ids[0] as string, label: ids[0] as string },
    { id: ids[1] as string, label: ids[1] as string },
  ];
}

function tagOf(sides: readonly [WatchSide, WatchSide]): string {
  const short = (side: WatchSide) =>
    side.id
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, 7)
      .toUpperCase() || "X";
  return `${short(sides[0])}-${short(sides[1])}`;
}

/** Lexicon sections of an extension are appended; an entry with a known id replaces it. */
function extendLexicon(base: Lexicon, extra: Lexicon): Lexicon {
  const byId = <T extends { id: string }>(a: T[], b: T[]) => [
    ...a.filter((entry) => !b.some((other) => other.id === entry.id)),
    ...b,
  ];
  const ids = (a: { ids: string[] }, b: { ids: string[] }) => ({ ids: [...new Set([...a.ids, ...b.ids])] });
  return {
    ...base,
    genericEntities: ids(base.genericEntities, extra.genericEntities),
    groupEntities: ids(base.groupEntities, extra.groupEntities),
    leaders: ids(base.leaders, extra.leaders),
    placeEntities: ids(base.placeEntities, extra.placeEntities),
    acts: byId(base.acts, extra.acts),
    objects: byId(base.objects, extra.objects),
    actors: byId(base.actors, extra.actors),
    places: byId(base.places, extra.places),
    sites: byId(base.sites, extra.sites),
  };
}

function mergeEntity(known: WatchEntity, extra: WatchListEntityConfig): WatchEntity {
  const merged: WatchEntity = { ...known, aliases: [...new Set([...known.aliases, ...extra.aliases])] };
  if (extra.side) merged.side = extra.side;
  if (extra.label) merged.label = extra.label;
  if (extra.weight !== undefined) merged.weight = extra.weight;
  if (extra.severity) merged.severity = extra.severity;
  if (extra.severityWith) merged.severityWith = extra.severityWith;
  if (extra.pair !== undefined) merged.pair = extra.pair;
  if (extra.notWith) merged.notWith = [...(known.notWith ?? []), ...extra.notWith];
  if (extra.onlyWith) merged.onlyWith = [...(known.onlyWith ?? []), ...extra.onlyWith];
  if (extra.target !== undefined) merged.target = extra.target;
  return merged;
}

function completeEntity(entity: WatchListEntityConfig): WatchEntity {
  if (!entity.side) throw new Error(`Watch-list entity "${entity.id}" is new and needs a side`);
  const { $comment: _comment, ...rest } = entity;
  return {
    ...rest,
    id: entity.id,
    label: entity.label ?? entity.id,
    side: entity.side,
    weight: entity.weight ?? DEFAULT_ENTITY_WEIGHT,
    aliases: entity.aliases,
  };
}
