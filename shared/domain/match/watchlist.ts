// The watch list format and how a user's config extends or replaces the default one.
import { defaultWatchList } from "./default-watchlist.ts";
import type { WatchEntity, WatchList, WatchListConfig, WatchListEntityConfig } from "./watchlist-schema.ts";

export type { WatchEntity, WatchList } from "./watchlist-schema.ts";

export { defaultWatchList };

/**
 * The watch list a deployment runs with: the default, extended by the config (an entity with a known
 * id gets its aliases added and its given fields overridden), or replaced by it.
 */
export function resolveWatchList(config?: WatchListConfig): WatchList {
  if (!config) return defaultWatchList;
  if (config.mode === "replace") {
    return {
      entities: config.entities.map((entity) => completeEntity(entity)),
      falseFriends: config.falseFriends ?? [],
      listCues: config.listCues ?? [],
      roundupCues: config.roundupCues ?? [],
      thirdParties: config.thirdParties ?? [],
    };
  }
  const byId = new Map(defaultWatchList.entities.map((entity) => [entity.id, entity]));
  for (const entity of config.entities) {
    const known = byId.get(entity.id);
    byId.set(entity.id, known ? mergeEntity(known, entity) : completeEntity(entity));
  }
  return {
    entities: [...byId.values()],
    falseFriends: [...defaultWatchList.falseFriends, ...(config.falseFriends ?? [])],
    listCues: [...defaultWatchList.listCues, ...(config.listCues ?? [])],
    roundupCues: [...(defaultWatchList.roundupCues ?? []), ...(config.roundupCues ?? [])],
    thirdParties: [...(defaultWatchList.thirdParties ?? []), ...(config.thirdParties ?? [])],
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
  const complete: WatchEntity = {
    id: entity.id,
    label: entity.label ?? entity.id,
    side: entity.side,
    weight: entity.weight ?? 0.8,
    aliases: entity.aliases,
  };
  if (entity.severity) complete.severity = entity.severity;
  if (entity.severityWith) complete.severityWith = entity.severityWith;
  if (entity.pair) complete.pair = entity.pair;
  if (entity.notWith) complete.notWith = entity.notWith;
  if (entity.onlyWith) complete.onlyWith = entity.onlyWith;
  if (entity.target !== undefined) complete.target = entity.target;
  return complete;
}
