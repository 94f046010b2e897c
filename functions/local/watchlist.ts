// `npm run watchlist -- <article.txt>`: drafts a watch list from an English article so a user can
// follow another story. Named entities come from compromise (wink-nlp's light English model was
// compared on the seed article and tags only dates and numbers, no people, places or organizations).
// The draft names two parties and a topic, like the bundled list: the two places the article
// mentions most are the parties, people and organizations join the party they share sentences with,
// and the article's recurring common nouns become the topic. It is printed as a whole watch-list
// document (the format of shared/domain/watchlist/russia-dprk.json) with the story-neutral cue lists
// and act vocabulary of the bundled one: review it, then use it with `--watchlist FILE` or as the
// config's `watchlist` with `"mode": "replace"`.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import nlp from "compromise";
import type { WatchListConfig } from "#shared/config/schema.ts";
import { createMatcher } from "#shared/domain/match/index.ts";
import type { EntitySide } from "#shared/domain/types.ts";
import { defaultWatchList, resolveWatchList, type WatchList } from "#shared/domain/watchlist/index.ts";

/**
 * Surnames so common that alone they name nobody in particular ("Kim" is not Kim Jong Un): a person
 * known only by one of these is left out of the draft with a warning.
 */
const COMMON_SURNAMES = new Set(
  (
    "kim lee park choi jung kang cho yoon jang lim han shin seo kwon hwang ahn song yoo hong " +
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo lin he gao luo " +
    "nguyen tran le pham smith johnson williams brown jones garcia miller davis rodriguez martinez " +
    "ivanov smirnov kuznetsov popov sokolov khan singh kumar ali ahmed mohammed"
  ).split(" "),
);

/** Acronyms that are also words: matched case-insensitively, "US" would fire on "us". */
const SHORT_WORDS = new Set(
  "us it in on at as an or am is be do go no so up we he me my of to by".split(" "),
);

/** Nouns too general to say what a story is about. */
const VAGUE_NOUNS = new Set(
  (
    "it he she they we you i his her its their this that thing things way ways time times year years day " +
    "days week weeks month months today tuesday wednesday thursday friday monday saturday sunday country " +
    "countries people part number level turn connection name official officials news conference document " +
    "what who which use place"
  ).split(" "),
);

export interface DraftCandidate {
  text: string;
  kind: "person" | "place" | "organization";
  count: number;
  sentences: Set<number>;
}

export interface Draft {
  /** A whole watch-list document, validated. */
  watchlist: WatchList;
  warnings: string[];
}

/** Article text → tidy surface form: no quotes or trailing punctuation, no possessive. */
export function cleanMention(mention: string): string {
  return mention
    .replace(/[“”"«»()[\]]/g, "")
    .replace(/[’']s\b/gi, "")
    .replace(/[\s.,;:!?–—-]+$/u, "")
    .replace(/^[\s.,;:!?–—-]+/u, "")
    .replace(/\s+/g, " ")
    .trim();
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 64) || "entity"
  );
}

export function draftWatchList(article: string): Draft {
  const doc = nlp(article);
  const sentences = doc.sentences().out("array") as string[];
  const candidates = new Map<string, DraftCandidate>();
  const warnings: string[] = [];

  const collect = (kind: DraftCandidate["kind"], view: { out(format: "array"): string[] }) => {
    for (const mention of view.out("array")) {
      const text = cleanMention(mention);
      if (text.length < 2 || !/\p{Lu}/u.test(text) || SHORT_WORDS.has(text.toLowerCase())) continue;
      const key = text.toLowerCase();
      const known = candidates.get(key) ?? { text, kind, count: 0, sentences: new Set<number>() };
      known.count++;
      candidates.set(key, known);
    }
  };
  sentences.forEach((sentence, index) => {
    const part = nlp(sentence);
    const before = new Map([...candidates].map(([key, c]) => [key, c.count]));
    collect("person", part.people());
    collect("place", part.places());
    collect("organization", part.organizations());
    for (const [key, candidate] of candidates) {
      if (candidate.count !== (before.get(key) ?? 0)) candidate.sentences.add(index);
    }
  });

  // A person seen as "Vladimir Putin" and as "Putin" is one person.
  const people = [...candidates.values()].filter((c) => c.kind === "person");
  for (const person of people) {
    const longer = people.find(
      (other) => other !== person && other.text.toLowerCase().endsWith(` ${person.text.toLowerCase()}`),
    );
    if (longer) {
      longer.count += person.count;
      for (const s of person.sentences) longer.sentences.add(s);
      candidates.delete(person.text.toLowerCase());
    }
  }
  // "Putin's army" tagged as an organization is a person's possession, not a new name.
  const surnames = new Set(people.map((p) => p.text.split(" ").at(-1)?.toLowerCase()));
  for (const candidate of [...candidates.values()]) {
    const words = candidate.text.toLowerCase().split(" ");
    if (candidate.kind !== "person" && words.length > 1 && words.some((w) => surnames.has(w))) {
      candidates.delete(candidate.text.toLowerCase());
    }
  }
  for (const candidate of [...candidates.values()]) {
    if (
      candidate.kind === "person" &&
      !candidate.text.includes(" ") &&
      COMMON_SURNAMES.has(candidate.text.toLowerCase())
    ) {
      warnings.push(
        `"${candidate.text}" is a common surname and would match other people: add the full name by hand.`,
      );
      candidates.delete(candidate.text.toLowerCase());
    }
  }

  // The parties: the country the article names most (the lede counts double), and the country that
  // shares most sentences with it — the other end of the relationship.
  const countries = new Set(
    (doc.match("#Country+").out("array") as string[]).map((c) => cleanMention(c).toLowerCase()),
  );
  const lede = new Set([...candidates.values()].filter((c) => c.sentences.has(0)));
  const countryCandidates = [...candidates.values()]
    .filter((c) => c.kind === "place" && countries.has(c.text.toLowerCase()))
    .sort((a, b) => score(b) - score(a) || a.text.localeCompare(b.text));
  function score(candidate: DraftCandidate): number {
    return candidate.count + (lede.has(candidate) ? 2 : 0);
  }
  const first = countryCandidates[0];
  const shared = (a: DraftCandidate, b: DraftCandidate) =>
    [...a.sentences].filter((s) => b.sentences.has(s)).length;
  const second = first
    ? countryCandidates.slice(1).sort((a, b) => shared(b, first) - shared(a, first) || score(b) - score(a))[0]
    : undefined;
  // An article about the bundled story's two parties keeps the bundled sides' ids ("russia",
  // "dprk"), so its names merge with the bundled ones; any other pair gets ids from its names.
  const bundled = createMatcher();
  const bundledSide = (candidate: DraftCandidate | undefined) =>
    candidate
      ? bundled.match({ title: candidate.text, summary: "", language: "en" }).hits[0]?.side
      : undefined;
  const swap = bundledSide(first) === "dprk" || bundledSide(second) === "russia";
  const partyA = swap ? second : first;
  const partyB = swap ? first : second;
  const [bundledA, bundledB] = defaultWatchList.sides;
  const sameStoryAsBundled = bundledSide(partyA) === bundledA.id && bundledSide(partyB) === bundledB.id;
  const sideA = sameStoryAsBundled || !partyA ? bundledA.id : slug(partyA.text);
  const sideB = sameStoryAsBundled || !partyB ? bundledB.id : slug(partyB.text);
  if (!partyA || !partyB) {
    warnings.push("Fewer than two countries found: name the parties by hand.");
  } else {
    warnings.push(`Parties: "${partyA.text}" (side "${sideA}") and "${partyB.text}" (side "${sideB}").`);
  }
  const max = Math.max(1, ...[...candidates.values()].map((c) => c.count));
  const weight = (count: number) => Math.round((0.6 + (0.4 * count) / max) * 100) / 100;

  const entities: WatchListConfig["entities"] = [];
  const unassigned: string[] = [];
  // A name joins a party when it mostly appears beside that party; one mention proves nothing.
  const sideOf = (candidate: DraftCandidate): EntitySide | undefined => {
    if (candidate === partyA) return sideA;
    if (candidate === partyB) return sideB;
    if (!partyA || !partyB) return undefined;
    if (sameStoryAsBundled) {
      const known = bundledSide(candidate);
      if (known === sideA || known === sideB) return known;
    }
    if (candidate.count < 2) return undefined;
    const withA = shared(candidate, partyA);
    const withB = shared(candidate, partyB);
    if (withA === withB) return undefined;
    return withA > withB ? sideA : sideB;
  };
  for (const candidate of [...candidates.values()].sort((a, b) => b.count - a.count)) {
    const side = sideOf(candidate);
    if (!side) {
      unassigned.push(candidate.text);
      continue;
    }
    entities.push({
      id: slug(candidate.text),
      label: candidate.text,
      side,
      weight: weight(candidate.count),
      aliases: aliasesOf(candidate),
    });
  }
  if (unassigned.length > 0) {
    warnings.push(`Not assigned to a party (too rare or beside both): ${unassigned.join(", ")}.`);
  }

  const topic = topicTerms(doc, new Set(candidates.keys()));
  if (topic.length > 0) {
    entities.push({ id: "topic", label: "the story's topic", side: "topic", weight: 0.8, aliases: topic });
  }

  const labelA = partyA?.text ?? bundledA.label;
  const labelB = partyB?.text ?? bundledB.label;
  const unique = dedupeIds(entities);
  // The most mentioned person of each side stands for its leader (weak evidence in grouping).
  const leaderOf = (side: string) =>
    unique
      .filter((e) => e.side === side && candidates.get((e.label ?? "").toLowerCase())?.kind === "person")
      .slice(0, 1);
  const config: WatchListConfig = {
    mode: "replace",
    story: sameStoryAsBundled
      ? defaultWatchList.story
      : {
          name: `${labelA}-${labelB} relations`,
          tag: `${tagPart(labelA)}-${tagPart(labelB)}`,
          pairLabel: `${labelA} and ${labelB}`,
        },
    sides: [
      { id: sideA, label: labelA },
      { id: sideB, label: labelB },
    ],
    entities: unique,
    falseFriends: [],
    // Cue words say how news is written, not what it is about: the bundled ones serve any story.
    listCues: defaultWatchList.listCues,
    roundupCues: defaultWatchList.roundupCues,
    thirdParties: [],
    lexicon: {
      ...storyNeutralLexicon(),
      genericEntities: { ids: unique.filter((e) => e.side !== "topic" && e.weight === 1).map((e) => e.id) },
      leaders: { ids: [...leaderOf(sideA), ...leaderOf(sideB)].map((e) => e.id) },
    },
  };
  return { watchlist: resolveWatchList(config), warnings };
}

/** "North Korea" → "NORTHKO": a subject tag part of capitals. */
function tagPart(label: string): string {
  return (
    label
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, 7)
      .toUpperCase() || "X"
  );
}

/**
 * The bundled lexicon's story-neutral parts: acts (visit, talks, ratification, ...), kinds of site
 * and announcement words; its actors, places and objects belong to the bundled story.
 */
function storyNeutralLexicon(): WatchList["lexicon"] {
  const bundled = defaultWatchList.lexicon;
  return {
    ...bundled,
    genericEntities: { ids: [] },
    groupEntities: { ids: [] },
    leaders: { ids: [] },
    placeEntities: { ids: [] },
    broadTopics: { ids: [] },
    topicConcepts: { pairs: [] },
    objects: [],
    actors: [],
    places: [],
  };
}

function aliasesOf(candidate: DraftCandidate): string[] {
  const text = candidate.text;
  const aliases = new Set([text.toLowerCase()]);
  if (candidate.kind === "person" && text.includes(" ")) {
    const surname = text.split(" ").at(-1) as string;
    if (!COMMON_SURNAMES.has(surname.toLowerCase())) aliases.add(surname.toLowerCase());
  }
  // Country names: their demonym is how headlines often name them ("North Korean troops").
  const lower = text.toLowerCase();
  if (candidate.kind === "place") {
    if (lower.endsWith("ia")) aliases.add(`${lower}n`);
    else if (lower.endsWith("a")) aliases.add(`${lower}n`);
  }
  return [...aliases];
}

function topicTerms(doc: ReturnType<typeof nlp>, names: Set<string>): string[] {
  const counts = new Map<string, number>();
  const terms = doc.match("#Noun").not("#ProperNoun").not("#Pronoun").not("#Value").out("array") as string[];
  for (const raw of terms) {
    const term = cleanMention(raw).toLowerCase();
    if (term.length < 3 || VAGUE_NOUNS.has(term) || names.has(term) || /\d/.test(term)) continue;
    counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  // Hyphenated compounds name the subject precisely ("military-technical cooperation").
  const compounds = doc.match("#Adjective+ #Noun").out("array") as string[];
  for (const raw of compounds) {
    const term = cleanMention(raw).toLowerCase();
    if (term.includes("-")) counts.set(term, (counts.get(term) ?? 0) + 2);
  }
  return [...counts]
    .filter(([, count]) => count >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 25)
    .map(([term]) => (term.endsWith("s") && !term.endsWith("ss") ? `${term.slice(0, -1)}*` : term));
}

function dedupeIds(entities: WatchListConfig["entities"]): WatchListConfig["entities"] {
  const seen = new Set<string>();
  return entities.filter((entity) => {
    if (seen.has(entity.id)) return false;
    seen.add(entity.id);
    return true;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const path = process.argv[2];
  if (!path) {
    console.error("Usage: npm run watchlist -- <article.txt>");
    process.exitCode = 2;
  } else {
    const { watchlist, warnings } = draftWatchList(readFileSync(path, "utf8"));
    for (const warning of warnings) console.error(`warning: ${warning}`);
    console.log(JSON.stringify(watchlist, null, 2));
  }
}
