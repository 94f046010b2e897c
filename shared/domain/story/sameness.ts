// Whether two reports tell the same development: an ordered table of named rules over what each
// report says (who acted, what they did, about what, where). Pure; reached only for reports whose
// event times lie within the story window.
import { DEFAULT_VOCABULARY, type StoryVocabulary } from "./lexicon.ts";
import { dice, headlineTokens, isEventConcept, kindWeight, memo } from "./signals.ts";

/**
 * Inside the event-time window few developments overlap, so two reports that share any evidence
 * tell the same development unless their identities conflict (the rules in `compare`). Shared
 * evidence this strong (a figure and a place, say) outweighs a conflict the wording suggests.
 */
const DECISIVE_SHARED = 3;
/**
 * Shared evidence beyond the background (the leaders, the sides, broad topics, the treaty) needed
 * to call two reports one development: one full-strength signal, or weaker ones adding up to it.
 * Two reports that name the same leaders and the treaty and nothing else ("what comes next") are
 * not known to tell the same thing.
 */
const MIN_SPECIFIC_SHARED = 0.5;
/** Near-identical headlines in the same language are the same report, whatever else differs. */
const MIN_TITLE_ALONE = 0.6;

/** What one report (or the item being placed) says, ready to compare. */
export interface Evidence {
  /** The watch-list document's vocabulary the evidence was read with. */
  vocabulary: StoryVocabulary;
  signals: ReadonlyMap<string, number>;
  language: string;
  /** Headline words, compared only with headlines in the same language. */
  tokens: Set<string>;
  /** The acts and objects the report leads with: concepts at headline strength. */
  lead: Set<string>;
  /** The families of the acts it leads with ("presence", "legislate", "capture", ...). */
  families: Set<string>;
  /** Families of every act it names, headline or summary. */
  allFamilies: Set<string>;
  /** The specific people, bodies and places it leads with (not the leaders, groups or sides). */
  actors: Set<string>;
  /** Every specific actor and place it names, headline or summary. */
  allActors: Set<string>;
  /** The kinds of site it leads with (a factory, an airfield), and every one it names. */
  sites: Set<string>;
  allSites: Set<string>;
  /** Its headline announces something still to come. */
  announces: boolean;
}

export function evidenceOf(
  title: string,
  language: string,
  signals: ReadonlyMap<string, number>,
  vocabulary: StoryVocabulary = DEFAULT_VOCABULARY,
): Evidence {
  const v = vocabulary;
  const lead = new Set<string>();
  const families = new Set<string>();
  const allFamilies = new Set<string>();
  const actors = new Set<string>();
  const allActors = new Set<string>();
  const sites = new Set<string>();
  const allSites = new Set<string>();
  for (const [signal, weight] of signals) {
    const headline = weight >= kindWeight(signal, v);
    const family = v.actFamily.get(signal);
    if (family !== undefined) allFamilies.add(family);
    if (isSpecificActor(signal, v)) allActors.add(signal);
    if (signal.startsWith("s:")) allSites.add(signal);
    if (!headline) continue;
    if (signal.startsWith("s:")) sites.add(signal);
    if (isEventConcept(signal, v)) lead.add(signal);
    if (family !== undefined) families.add(family);
    if (isSpecificActor(signal, v)) actors.add(signal);
  }
  return {
    vocabulary,
    signals,
    language,
    tokens: headlineTokens(title, language, v),
    lead,
    families,
    allFamilies,
    actors,
    allActors,
    sites,
    allSites,
    announces: announces(title, v),
  };
}

/** Evidence nearly every development shares: the leaders, groups, broad topics, the backdrop. */
function isBackground(signal: string, v: StoryVocabulary): boolean {
  return (
    signal in v.backgroundWeight ||
    v.groupEntities.has(signal) ||
    v.backdropConcepts.has(signal) ||
    signal.startsWith("t:")
  );
}

/** A person or body (not a place): the same one acting twice on one visit is one development. */
function isPerson(signal: string, v: StoryVocabulary): boolean {
  return signal.startsWith("e:") && !v.placeEntities.has(signal);
}

function isSpecificActor(signal: string, v: StoryVocabulary): boolean {
  return /^[ep]:/.test(signal) && !(signal in v.backgroundWeight) && !v.groupEntities.has(signal);
}

export function announces(title: string, v: StoryVocabulary = DEFAULT_VOCABULARY): boolean {
  return memo(v.caches.announces, title, () => v.announcement.test(title.normalize("NFKC").toLowerCase()));
}

export interface Similarity {
  shared: number;
  title: number;
  same: boolean;
  /** The sameness rule that decided (see SAMENESS_RULES). */
  rule: SamenessRule;
}

/**
 * The sameness rules, in the order they are tried; the first that applies decides. Two reports
 * reach them only when their event times lie within the story window.
 */
export const SAMENESS_RULES = {
  "decisive-evidence": "shared figures, places and actors this strong leave no doubt",
  "announcement-vs-event": "an announced act and the act itself are two developments",
  "third-party-reaction": "a third country's or body's reaction is its own development",
  "different-actors": "the people, bodies or places each report leads with are different",
  "different-sites": "each leads with a different kind of site (a factory, an airfield)",
  "distinct-act": "one headline adds an act that is news of its own (a captured soldier's death)",
  "different-acts": "each leads with a different kind of act, and no person or body is shared",
  "different-objects": "each leads with a different object (wheat / oil), and no person is shared",
  "different-figures": "two statistics that share no figure are two estimates, two developments",
  "nothing-shared": "reports that share only the background are not known to be the same",
  "nothing-led-shared": "what they share is only mentioned in passing, not what either leads with",
  "same-headline": "near-identical headlines in one language are one report",
  "shared-evidence": "inside the window, specific shared evidence and no conflict make one development",
} as const;
export type SamenessRule = keyof typeof SAMENESS_RULES;

/** Whether two reports tell the same development. Symmetric, and blind to everything else. */
export function compare(a: Evidence, b: Evidence): Similarity {
  const v = a.vocabulary;
  let shared = 0;
  let specific = 0;
  for (const [signal, weight] of a.signals) {
    const other = b.signals.get(signal);
    if (other === undefined) continue;
    shared += Math.min(weight, other);
    if (!isBackground(signal, v)) specific += Math.min(weight, other);
  }
  const title = a.language === b.language ? dice(a.tokens, b.tokens) : 0;
  const verdict = (same: boolean, rule: SamenessRule): Similarity => ({ shared, title, same, rule });

  if (shared >= DECISIVE_SHARED) return verdict(true, "decisive-evidence");
  if (a.announces !== b.announces) return verdict(false, "announcement-vs-event");
  if (reactsAlone(a, b) || reactsAlone(b, a)) return verdict(false, "third-party-reaction");
  // The same person or body doing two things on one visit is one development; the same city
  // hosting two events is not.
  const sharesPerson =
    [...a.actors].some((actor) => isPerson(actor, v) && b.allActors.has(actor)) ||
    [...b.actors].some((actor) => isPerson(actor, v) && a.allActors.has(actor));
  // Third parties are judged by the rule above: one that reports or confirms the event (Kyiv,
  // Seoul's spy agency) is not the actor of it.
  const aActors = ownActors(a);
  const bActors = ownActors(b);
  if (aActors.size > 0 && bActors.size > 0 && !(meets(aActors, b.allActors) || meets(bActors, a.allActors)))
    return verdict(false, "different-actors");
  const sharesSite = meets(a.sites, b.allSites) || meets(b.sites, a.allSites);
  if (a.sites.size > 0 && b.sites.size > 0 && !sharesSite) return verdict(false, "different-sites");
  if (addsDistinctAct(a, b) || addsDistinctAct(b, a)) return verdict(false, "distinct-act");
  const sharesAct = meets(a.families, b.families);
  if (a.families.size > 0 && b.families.size > 0 && !sharesAct && !sharesPerson)
    return verdict(false, "different-acts");
  const aObjects = objectsOf(a.lead, v);
  const bObjects = objectsOf(b.lead, v);
  const sharesObject =
    [...aObjects].some((o) => b.signals.has(o)) || [...bObjects].some((o) => a.signals.has(o));
  if (aObjects.size > 0 && bObjects.size > 0 && !sharesObject && !sharesPerson)
    return verdict(false, "different-objects");
  const figures = [...a.signals.keys()].some((signal) => /^[nd]:/.test(signal) && b.signals.has(signal));
  if (a.families.has(FIGURES_FAMILY) && b.families.has(FIGURES_FAMILY) && !figures)
    return verdict(false, "different-figures");
  if (specific < MIN_SPECIFIC_SHARED) return verdict(false, "nothing-shared");
  // What they share must include what one of them leads with (its act, object, actor or site) or a
  // figure or date: two reports that only mention the same thing in passing tell different news.
  const leads = (x: Evidence, y: Evidence) =>
    [...x.lead, ...x.actors, ...x.sites].some(
      (signal) => y.signals.has(signal) && !v.backdropConcepts.has(signal),
    );
  if (!leads(a, b) && !leads(b, a) && !figures) return verdict(false, "nothing-led-shared");
  if (title >= MIN_TITLE_ALONE) return verdict(true, "same-headline");
  return verdict(true, "shared-evidence");
}

/**
 * `a` leads with a third party the other report never names, and either reacts (warns, condemns,
 * summons) or shares no kind of act with it: a third party's move, not the event. A third party
 * that confirms the event itself (an intelligence agency confirming a capture) shares its act.
 */
function reactsAlone(a: Evidence, b: Evidence): boolean {
  const third = [...a.actors].some(
    (actor) => a.vocabulary.thirdParties.has(actor) && !b.allActors.has(actor),
  );
  if (!third) return false;
  return (
    a.families.has(REACTION_FAMILY) || !(meets(a.families, b.allFamilies) || meets(b.families, a.allFamilies))
  );
}

/** The objects (not acts) among lead concepts: "wheat", "troops", "oil". */
function objectsOf(lead: ReadonlySet<string>, v: StoryVocabulary): Set<string> {
  return new Set([...lead].filter((concept) => !v.actFamily.has(concept)));
}

/** The specific actors a report leads with, leaving out third parties. */
function ownActors(evidence: Evidence): Set<string> {
  return new Set([...evidence.actors].filter((actor) => !evidence.vocabulary.thirdParties.has(actor)));
}

/** `a`'s headline has an act that makes its own development (a death) and `b`'s headline has not. */
function addsDistinctAct(a: Evidence, b: Evidence): boolean {
  return [...a.lead].some((concept) => a.vocabulary.distinctActs.has(concept) && !b.lead.has(concept));
}

function meets(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const value of a) if (b.has(value)) return true;
  return false;
}
/** The act family of a third party's reaction (see the "third-party-reaction" rule). */
const REACTION_FAMILY = "react";
/** The act family of a statistic ("trade doubled"): see the "different-figures" rule. */
const FIGURES_FAMILY = "figures";
