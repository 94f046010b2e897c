// The watch list format and how a user's config extends or replaces the default one.
import type { WatchListConfig, WatchListEntityConfig } from "../../config/schema.ts";
import type { EntitySide, Severity } from "../types.ts";
import { defaultWatchList } from "./default-watchlist.ts";

/**
 * One thing the matcher looks for. Alias syntax (case, ё/е, hyphens and spaces don't matter):
 * - `{a,b,}` expands to alternatives, e.g. `северн{ая,ой,ую} коре{я,и,ю}`;
 * - a trailing `*` admits up to five more letters of the same script (Russian case endings:
 *   `путин*` finds Путина, Путину; English plurals: `missile*`);
 * - Korean aliases always admit a following particle (김정은이, 러시아와, 평양서) but not other
 *   syllables (러시아워 is rush hour, 평양냉면 a dish).
 */
export interface WatchEntity {
  /** Canonical id used in alerts and filter policies, e.g. "putin". */
  id: string;
  label: string;
  side: EntitySide;
  /**
   * 0..1: what one mention says. Side entities under 0.6 (the war in Ukraine standing in for
   * Russia) only count next to a high-severity topic such as troops or missiles.
   */
  weight: number;
  aliases: string[];
  /** Topic entities whose presence makes a relevant item high severity. */
  severity?: Severity;
  /** The severity holds only when one of these entities is also in the item. */
  severityWith?: string[];
  /** The alias names both parties at once (북러, российско-северокорейский). */
  pair?: boolean;
  /** Mentions are ignored when the item also contains one of these (Moscow → Idaho). */
  notWith?: string[];
  /**
   * Mentions count only when the item also contains one of these: "the North" is North Korea in a
   * story that names Seoul, and the Union side of the Civil War elsewhere.
   */
  onlyWith?: string[];
  /**
   * The alias names the side as the target of someone else's policy (대북 제재, 대러 수출통제):
   * two such targets side by side are one actor's two policies, not a relation between them.
   */
  target?: boolean;
}

export interface WatchList {
  entities: WatchEntity[];
  /** Phrases containing an alias that mean something else (Moscow Mule, White Russian). */
  falseFriends: string[];
  /** Words showing that the two sides are merely listed or ranked together, not related. */
  listCues: string[];
  /**
   * Words marking an item that strings separate stories together (a weather roundup, a news brief,
   * a digest, a threat list): relevant only when one segment itself relates the two sides.
   */
  roundupCues?: string[];
  /**
   * Leaders of other countries: "Trump will meet Putin and Kim" is a third party's dealings with
   * each of them, not theirs with each other.
   */
  thirdParties?: string[];
}

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
      thirdParties: defaultWatchList.thirdParties ?? [],
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
    thirdParties: defaultWatchList.thirdParties ?? [],
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
  return complete;
}
