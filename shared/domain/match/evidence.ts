// What the hits of an item (or of one sentence) say: which sides are named, strongly or through a
// stand-in, which topics, whether a pair term. Pure reads of the compiled document.
import type { Severity } from "../types.ts";
import type { WatchEntity } from "../watchlist/index.ts";
import { type Compiled, type Hit, SIDES, type Side, STRONG_SIDE_WEIGHT, TOPIC } from "./compiled.ts";

export interface Evidence {
  /** Per side: named by an entity of full weight. */
  strong: [boolean, boolean];
  /** Per side: named only through a stand-in (the war for Russia). */
  weak: [boolean, boolean];
  pair: boolean;
  topic: number;
  highTopic: boolean;
}

/** Any mention of a side, strong or stand-in. */
export function namesSide(evidence: Evidence, side: Side): boolean {
  return evidence.strong[side] || evidence.weak[side];
}

export function evidenceOf(compiled: Compiled, hits: readonly Hit[], itemEntities: Set<number>): Evidence {
  const evidence: Evidence = {
    strong: [false, false],
    weak: [false, false],
    pair: false,
    topic: 0,
    highTopic: false,
  };
  for (const hit of hits) {
    const entity = compiled.entities[hit.entity] as WatchEntity;
    const side = compiled.sideOf[hit.entity] as number;
    if (entity.pair) evidence.pair = true;
    else if (side !== TOPIC) {
      if (entity.weight >= STRONG_SIDE_WEIGHT) evidence.strong[side as Side] = true;
      else evidence.weak[side as Side] = true;
    } else {
      evidence.topic = Math.max(evidence.topic, entity.weight);
      if (entity.severity === "high" && severityHolds(compiled, hit.entity, itemEntities))
        evidence.highTopic = true;
    }
  }
  return evidence;
}

export function severityHolds(compiled: Compiled, entity: number, itemEntities: Set<number>): boolean {
  const needs = compiled.severityWith[entity];
  return !needs || needs.length === 0 || needs.some((other) => itemEntities.has(other));
}

/**
 * Each side named only in summary sentences of its own, each with its own topic ("The ruble fell to
 * a new low. Kim Jong Un inspected a missile factory."): one story only when something ties the
 * sentences, a topic both share or a sentence about the dealings that names neither.
 */
export function topicBridgesSides(compiled: Compiled, hits: readonly Hit[]): boolean {
  // A summary elaborates its headline: only sentences of one field can be separate stories.
  const fields = new Set(hits.map((hit) => hit.field));
  if (fields.size > 1) return true;
  const bySentence = new Map<string, { sides: [boolean, boolean]; topics: Set<number> }>();
  for (const hit of hits) {
    const key = `${hit.field}:${hit.sentence}`;
    const sentence = bySentence.get(key) ?? { sides: [false, false], topics: new Set<number>() };
    const side = compiled.sideOf[hit.entity] as number;
    if (side === TOPIC) sentence.topics.add(hit.entity);
    else sentence.sides[side as Side] = true;
    bySentence.set(key, sentence);
  }
  const sentences = [...bySentence.values()];
  if (sentences.some((s) => !s.sides[0] && !s.sides[1] && s.topics.size > 0)) return true;
  const [firstTopics, secondTopics] = SIDES.map(
    (side) => new Set(sentences.filter((s) => s.sides[side]).flatMap((s) => [...s.topics])),
  ) as [Set<number>, Set<number>];
  // A side's sentence with no topic of its own is about the other's ("Putin gives Kim a car").
  if (firstTopics.size === 0 || secondTopics.size === 0) return true;
  return [...secondTopics].some((topic) => firstTopics.has(topic));
}

/** The side a hit names at full weight (not through a stand-in), if any. */
export function strongSideOf(compiled: Compiled, hit: Hit): Side | undefined {
  const side = compiled.sideOf[hit.entity] as number;
  if (side === TOPIC || (compiled.entities[hit.entity] as WatchEntity).weight < STRONG_SIDE_WEIGHT)
    return undefined;
  return side as Side;
}

export function severityOf(compiled: Compiled, hits: readonly Hit[]): Severity {
  const itemEntities = new Set(hits.map((hit) => hit.entity));
  return hits.some(
    (hit) =>
      compiled.entities[hit.entity]?.severity === "high" && severityHolds(compiled, hit.entity, itemEntities),
  )
    ? "high"
    : "normal";
}

export interface SidesNamed {
  /** Each side named, by full name or stand-in. */
  a: boolean;
  b: boolean;
  /** A term naming both at once. */
  pair: boolean;
}

export function sidesOf(compiled: Compiled, hits: readonly Hit[]): SidesNamed {
  const sides = { a: false, b: false, pair: false };
  for (const hit of hits) {
    const side = compiled.sideOf[hit.entity] as number;
    if (compiled.entities[hit.entity]?.pair) sides.pair = true;
    else if (side === 0) sides.a = true;
    else if (side === 1) sides.b = true;
  }
  return sides;
}

/** Both sides named, or the pair itself. */
export function bothNamed(sides: SidesNamed): boolean {
  return sides.pair || (sides.a && sides.b);
}

/** "no-russia-side": the rule that rejects an item naming one side, by the id of the missing one. */
export function missingSideRule(compiled: Compiled, missing: Side): string {
  return `no-${compiled.sideIds[missing]}-side`;
}
