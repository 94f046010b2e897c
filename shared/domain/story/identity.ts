// What a development is, said in English from a report's own evidence: "State Duma: ratification,
// treaty". Subjects and SMS are ASCII, and a romanised Korean or Russian headline reads to nobody,
// so a story no English outlet reported is named by who did what, from the lexicon's and the watch
// list's English labels. Pure.
import type { StoredItem } from "../types.ts";
import { DEFAULT_VOCABULARY, type StoryVocabulary } from "./lexicon.ts";

/** Actors, then acts and objects, named at most this many each: a subject line has little room. */
const MAX_NAMED = 3;

/**
 * The English identity of the development an item reports, from its weighted signals (strongest
 * first): "Sergei Lavrov, Wonsan: talks, visit". Undefined when the item names nothing the
 * lexicon or the watch list can put into English.
 */
export function identityLine(
  item: Pick<StoredItem, "match">,
  signals: ReadonlyMap<string, number>,
  vocabulary: StoryVocabulary = DEFAULT_VOCABULARY,
): string | undefined {
  const hitLabels = new Map<string, string>(item.match.hits.map((hit) => [`e:${hit.entity}`, hit.label]));
  const label = (signal: string) => hitLabels.get(signal) ?? vocabulary.labels.get(signal);
  const ranked = [...signals.entries()].sort((a, b) => b[1] - a[1]).map(([signal]) => signal);
  const actors = ranked.filter(
    (s) => /^[eps]:/.test(s) && !vocabulary.groupEntities.has(s) && label(s) !== undefined,
  );
  const concepts = ranked.filter((s) => s.startsWith("c:") && label(s) !== undefined);
  // The treaty is the backdrop of everything: named only when nothing else is.
  const named = concepts.filter((s) => !vocabulary.backdropConcepts.has(s));
  const what = (named.length > 0 ? named : concepts).slice(0, MAX_NAMED).map((s) => label(s) as string);
  const who = actors.slice(0, MAX_NAMED).map((s) => label(s) as string);
  if (what.length === 0 && who.length === 0) return undefined;
  if (what.length === 0) return who.join(", ");
  return `${who.length > 0 ? who.join(", ") : vocabulary.pairLabel}: ${what.join(", ")}`;
}
