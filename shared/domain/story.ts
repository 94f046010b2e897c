// Story grouping: reports of the same development from different outlets, in any language, become
// one story, so a subscriber's phone rings once. Pure: no I/O, no clock of its own.
//
// Every relevant item names Russia and North Korea, so those say nothing about *which*
// development an item reports. Grouping therefore weighs specific, language-independent evidence
// (entities the matcher resolved across languages, numbers, dates, places, event concepts), gives
// little weight to what nearly every development shares, and asks for enough of it before
// merging. Each pair of reports is judged on its own, so the grouping does not depend on the
// order in which concurrently polled feeds deliver their items.
import { createHash } from "node:crypto";
import { MAX_LEVEL } from "./subscriptions.ts";
import type { Severity, StoredItem, Story, StoryPublish, StoryReport } from "./types.ts";

/**
 * One publish a story step calls for: `level` is the confirmation level the message carries (see
 * AlertAttributes.level), `key` the DeliveryKey.stage ("new", "escalated" or `confirmed-${T}`).
 */
export type Publish = StoryPublish;

export interface StoryDecision {
  story: Story;
  created: boolean;
  changed: boolean;
  publishes: Publish[];
}

export interface PlaceOptions {
  windowHours: number;
  now: Date;
  /** Confirmation thresholds some subscriber waits for (confirmationThresholds(subscribers)). */
  thresholds: number[];
  /** Entity ids that appear in nearly every relevant item; never evidence of sameness. */
  genericEntities?: readonly string[];
}

/**
 * The two parties and the names that stand for their governments (capitals, the Kremlin, the pair
 * itself): present in nearly every relevant item, so they carry no weight.
 */
export const GENERIC_ENTITIES: readonly string[] = [
  "russia",
  "dprk",
  "moscow",
  "kremlin",
  "pyongyang",
  "russia-dprk",
];

/** Most signals a story keeps; the opening report's strongest come first. */
const MAX_STORY_SIGNALS = 64;

/** Confirmation level: distinct outlets, or MAX_LEVEL once an official source reported it. */
export function storyLevel(story: Pick<Story, "reports" | "outlets">): number {
  if (story.reports.some((report) => report.official)) return MAX_LEVEL;
  return story.outlets.length;
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Deterministic: a retried item recreates the same story id, so the conditional create catches it. */
export function storyIdFor(itemId: string, now: Date): string {
  const digest = createHash("sha256").update(itemId).digest("hex");
  return `${utcDay(now)}~${digest.slice(0, 16)}`;
}

export function placeInStory(item: StoredItem, recent: Story[], options: PlaceOptions): StoryDecision {
  // An edited or re-published item (same id) never alerts again, whatever changed in it.
  const known = recent.find((story) => story.reports.some((report) => report.itemId === item.id));
  if (known) return { story: known, created: false, changed: false, publishes: [] };

  const generic = genericEntitySet(item, options.genericEntities ?? GENERIC_ENTITIES);
  const signals = itemSignals(item, generic);
  const windowStart = options.now.getTime() - options.windowHours * 3_600_000;
  const open = recent.filter((story) => {
    const opened = Date.parse(story.firstSeen);
    return Number.isFinite(opened) && opened >= windowStart;
  });

  const best = bestMatch(evidenceOf(item.title, item.language, signals), open);
  if (!best) return openStory(item, signals, options.now);
  return joinStory(best, item, signals, options);
}

function openStory(item: StoredItem, signals: Map<string, number>, now: Date): StoryDecision {
  const at = now.toISOString();
  const reports = [reportOf(item)];
  const outlets = [item.feedId];
  const story: Story = {
    id: storyIdFor(item.id, now),
    title: item.title,
    severity: item.match.severity,
    entities: [...item.match.entities],
    signals: strongestFirst(signals).slice(0, MAX_STORY_SIGNALS),
    reportSignals: { [item.id]: signalRecord(signals) },
    reports,
    outlets,
    confirmed: storyLevel({ reports, outlets }) >= 2,
    firstSeen: at,
    updatedAt: at,
    why: { rule: item.match.rule, snippet: item.match.snippet, entities: [...item.match.entities] },
    version: 1,
  };
  const publishes: Publish[] = [{ stage: "new", level: storyLevel(story), key: "new" }];
  return { story, created: true, changed: true, publishes };
}

function joinStory(
  before: Story,
  item: StoredItem,
  signals: Map<string, number>,
  options: PlaceOptions,
): StoryDecision {
  const severity: Severity = before.severity === "high" || item.match.severity === "high" ? "high" : "normal";
  const outlets = before.outlets.includes(item.feedId) ? before.outlets : [...before.outlets, item.feedId];
  const reports = [...before.reports, reportOf(item)];
  const levelBefore = storyLevel(before);
  const levelAfter = storyLevel({ reports, outlets });
  const story: Story = {
    ...before,
    severity,
    entities: union(before.entities, item.match.entities),
    signals: union(before.signals, strongestFirst(signals)).slice(0, MAX_STORY_SIGNALS),
    reportSignals: { ...before.reportSignals, [item.id]: signalRecord(signals) },
    reports,
    outlets,
    confirmed: levelAfter >= 2,
    updatedAt: options.now.toISOString(),
    version: before.version + 1,
  };

  const publishes: Publish[] = [];
  if (before.severity === "normal" && severity === "high") {
    // "escalated" carries the current level, so it already reaches every subscriber whose
    // threshold was just crossed: sending "confirmed" too would reach them twice.
    publishes.push({ stage: "escalated", level: levelAfter, key: "escalated" });
  } else {
    for (const threshold of [...new Set(options.thresholds)].sort((a, b) => a - b)) {
      if (threshold > 1 && levelBefore < threshold && threshold <= levelAfter) {
        publishes.push({ stage: "confirmed", level: threshold, key: `confirmed-${threshold}` });
      }
    }
  }
  return { story, created: false, changed: true, publishes };
}

function strongestFirst(signals: ReadonlyMap<string, number>): string[] {
  return [...signals.entries()].sort((a, b) => b[1] - a[1]).map(([signal]) => signal);
}

/** A report's signals as stored: the strongest MAX_STORY_SIGNALS, weights rounded for the row. */
function signalRecord(signals: ReadonlyMap<string, number>): Record<string, number> {
  const record: Record<string, number> = {};
  for (const signal of strongestFirst(signals).slice(0, MAX_STORY_SIGNALS))
    record[signal] = Math.round((signals.get(signal) ?? 0) * 1000) / 1000;
  return record;
}

function reportOf(item: StoredItem): StoryReport {
  const report: StoryReport = {
    itemId: item.id,
    feedId: item.feedId,
    feedName: item.feedName,
    title: item.title,
    language: item.language,
    official: item.official,
  };
  if (item.link !== undefined) report.link = item.link;
  if (item.published !== undefined) report.published = item.published;
  return report;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

// ---------------------------------------------------------------------------------------------
// Similarity
//
// An item joins a story when it tells the same development as at least one of the story's
// reports (single link), compared report by report with weights that depend on nothing but the
// two reports. The decision for a pair is then the same whatever else is open and whichever
// arrived first, so outlets polled in any order end up in the same stories, as long as every two
// reports of a development look alike and no two reports of different developments do.

/**
 * How much a signal of each kind says. People and places (`e:`) are specific; topic entities
 * (`t:`, "diplomacy", "economy") are watch-list categories that many developments share, so the
 * finer concepts (`c:`) carry more; figures and dates are the most telling.
 */
const KIND_WEIGHT: Record<string, number> = { e: 1, t: 0.5, c: 1, p: 1, n: 1.5, d: 1.5, y: 0.3 };
/** Evidence found only in a news summary counts for less than evidence in the headline. */
const SUMMARY_FACTOR = 0.6;

/** Weighted shared evidence needed to merge without help from the headline. */
const MIN_SHARED = 2.5;
/**
 * More shared evidence makes up for a lower share of it: reports with long summaries carry much
 * that the other report has no room for.
 */
const AMPLE_SHARED = 3;
const MIN_OVERLAP_WITH_AMPLE = 0.45;
/** With similar headlines (same language) less shared evidence will do. */
const MIN_SHARED_WITH_TITLE = 2;
const MIN_TITLE_FOR_SUPPORT = 0.4;
/** Near-identical headlines in the same language are the same report, whatever else differs. */
const MIN_TITLE_ALONE = 0.6;
/** Shared evidence that outweighs leads naming different events. */
const STRONG_SHARED = 4;
/** Share of the smaller side's evidence that must be common. */
const MIN_OVERLAP = 0.6;
/** Short reports that say nothing but the same event, in any language, are the same report. */
const FULL_OVERLAP = 0.9;
const MIN_SHARED_WITH_FULL_OVERLAP = 2;
/** With similar headlines in the same language, half will do. */
const MIN_OVERLAP_WITH_TITLE = 0.5;

/** What one report (or the item being placed) says, ready to compare. */
interface Evidence {
  signals: ReadonlyMap<string, number>;
  total: number;
  language: string;
  /** Headline words, compared only with headlines in the same language. */
  tokens: Set<string>;
  /** The events the report leads with: concepts at headline strength. */
  lead: Set<string>;
  /** The people and places it leads with, leaving out those named in most developments. */
  actors: Set<string>;
}

function evidenceOf(title: string, language: string, signals: ReadonlyMap<string, number>): Evidence {
  let total = 0;
  const lead = new Set<string>();
  const actors = new Set<string>();
  for (const [signal, weight] of signals) {
    total += weight;
    if (weight < kindWeight(signal)) continue;
    if (isEventConcept(signal)) lead.add(signal);
    else if (/^[ep]:/.test(signal) && !(signal in BACKGROUND_WEIGHT)) actors.add(signal);
  }
  return { signals, total, language, tokens: headlineTokens(title, language), lead, actors };
}

/**
 * The evidence of each report of a story. A report stored before reports kept their own signals
 * borrows the story-wide ones, with the events of its own headline.
 */
function storyEvidence(story: Story): Evidence[] {
  const known = EVIDENCE_CACHE.get(story);
  if (known) return known;
  const evidence = story.reports.map((report) => {
    const own = story.reportSignals?.[report.itemId];
    if (own) return evidenceOf(report.title, report.language, new Map(Object.entries(own)));
    const signals = new Map(story.signals.map((signal) => [signal, kindWeight(signal)]));
    // Which of the story-wide people and places this report led with is not known.
    return {
      ...evidenceOf(report.title, report.language, signals),
      lead: headlineConcepts(report.title),
      actors: new Set<string>(),
    };
  });
  EVIDENCE_CACHE.set(story, evidence);
  return evidence;
}

function bestMatch(item: Evidence, open: Story[]): Story | undefined {
  let best: { story: Story; score: number } | undefined;
  for (const story of open) {
    let score = Number.NEGATIVE_INFINITY;
    for (const report of storyEvidence(story)) {
      const similarity = compare(item, report);
      if (similarity.same)
        score = Math.max(score, similarity.overlap + similarity.title + similarity.shared / 10);
    }
    if (score === Number.NEGATIVE_INFINITY) continue;
    const better =
      !best ||
      score > best.score ||
      (score === best.score && story.firstSeen < best.story.firstSeen) ||
      (score === best.score && story.firstSeen === best.story.firstSeen && story.id < best.story.id);
    if (better) best = { story, score };
  }
  return best?.story;
}

interface Similarity {
  shared: number;
  overlap: number;
  title: number;
  same: boolean;
}

/** Whether two reports tell the same development. Symmetric, and blind to everything else. */
function compare(a: Evidence, b: Evidence): Similarity {
  let shared = 0;
  for (const [signal, weight] of a.signals) {
    const other = b.signals.get(signal);
    if (other !== undefined) shared += Math.min(weight, other);
  }
  const smaller = Math.min(a.total, b.total);
  const overlap = smaller > 0 ? shared / smaller : 0;
  const title = a.language === b.language ? dice(a.tokens, b.tokens) : 0;
  const sharesLead = [...a.lead].some((concept) => b.lead.has(concept));

  const similar =
    title >= MIN_TITLE_ALONE ||
    (shared >= MIN_SHARED && overlap >= MIN_OVERLAP) ||
    (shared >= AMPLE_SHARED && overlap >= MIN_OVERLAP_WITH_AMPLE) ||
    (shared >= MIN_SHARED_WITH_FULL_OVERLAP && overlap >= FULL_OVERLAP && sharesLead) ||
    (shared >= MIN_SHARED_WITH_TITLE && overlap >= MIN_OVERLAP_WITH_TITLE && title >= MIN_TITLE_FOR_SUPPORT);
  // Reports that each lead with what happened, or with who and where, and name different things
  // ("wheat" / "oil", "troops" / "medics", "Shoigu" / "Vladivostok"), tell different
  // developments, unless the same people, places and figures leave no doubt ("Lavrov flies to
  // Wonsan to talk trade" / "Lavrov arrives in Wonsan").
  const sharesActor = [...a.actors].some((actor) => b.actors.has(actor));
  const different =
    shared < STRONG_SHARED &&
    ((a.lead.size > 0 && b.lead.size > 0 && !sharesLead) ||
      (a.actors.size > 0 && b.actors.size > 0 && !sharesActor));
  // A headline that names no event (a quote, an analysis) shares names with many developments:
  // it joins one only on ample evidence.
  const unnamed = (a.lead.size === 0 || b.lead.size === 0) && shared < AMPLE_SHARED;
  const conflict = different || unnamed;
  return { shared, overlap, title, same: similar && !conflict };
}

/**
 * Every placement re-reads the same open stories: their evidence (while the story object lives)
 * and headline words and concepts (bounded; a headline's never change) are kept.
 */
const EVIDENCE_CACHE = new WeakMap<Story, Evidence[]>();
const CACHE_LIMIT = 20_000;
const TOKEN_CACHE = new Map<string, Set<string>>();
const CONCEPT_CACHE = new Map<string, Set<string>>();

function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function headlineTokens(title: string, language: string): Set<string> {
  return memo(TOKEN_CACHE, `${language}\u0000${title}`, () => titleTokens(title, language));
}

/** The treaty is the backdrop of every development: it weighs like a topic and names no event. */
const BACKDROP_CONCEPTS = new Set(["c:treaty"]);
/**
 * Watch-list topics so broad that nearly every development touches them, and the two leaders,
 * named in most developments whoever acts in them: weak evidence that two reports tell the same.
 */
const BACKGROUND_WEIGHT: Record<string, number> = {
  "t:diplomacy": 0.3,
  "t:economy": 0.3,
  "e:putin": 0.5,
  "e:kim-jong-un": 0.5,
};

function isEventConcept(signal: string): boolean {
  return signal.startsWith("c:") && !BACKDROP_CONCEPTS.has(signal);
}

/** Concepts a headline names as what happened. */
function headlineConcepts(title: string): Set<string> {
  return memo(CONCEPT_CACHE, title, () => new Set([...textSignals(title)].filter(isEventConcept)));
}

function kindWeight(signal: string): number {
  const background = BACKGROUND_WEIGHT[signal];
  if (background !== undefined) return background;
  if (BACKDROP_CONCEPTS.has(signal)) return KIND_WEIGHT.t ?? 0.5;
  return KIND_WEIGHT[signal.slice(0, signal.indexOf(":"))] ?? 1;
}

function genericEntitySet(item: StoredItem, configured: readonly string[]): Set<string> {
  const generic = new Set(configured);
  // An entity that *is* one of the sides (its id equals its side) is a country-level name.
  for (const hit of item.match.hits) if (hit.entity === hit.side) generic.add(hit.entity);
  return generic;
}

/**
 * Language-independent evidence of what an item reports, with weights: `e:` matched people and
 * places, `t:` matched topics, `c:` event concepts, `p:` places, `n:` quantities, `d:` calendar
 * dates, `y:` years.
 */
export function itemSignals(
  item: Pick<StoredItem, "title" | "summary" | "match"> &
    Partial<Pick<StoredItem, "published" | "seenAt" | "official">>,
  generic: ReadonlySet<string> = new Set(GENERIC_ENTITIES),
): Map<string, number> {
  // An official statement's headline is a formula ("Comment by the Information and Press
  // Department on ..."): its body is the statement itself and counts like a news headline.
  const summaryFactor = item.official ? 1 : SUMMARY_FACTOR;
  const signals = new Map<string, number>();
  const add = (signal: string, weight: number) =>
    signals.set(signal, Math.max(signals.get(signal) ?? 0, weight));

  for (const entity of item.match.entities) {
    if (generic.has(entity)) continue;
    const hits = item.match.hits.filter((hit) => hit.entity === entity);
    const inTitle = hits.length === 0 || hits.some((hit) => hit.field === "title");
    const signal = hits.some((hit) => hit.side === "topic") ? `t:${entity}` : `e:${entity}`;
    add(signal, kindWeight(signal) * (inTitle ? 1 : summaryFactor));
  }
  const reference = new Date(item.published ?? item.seenAt ?? Number.NaN);
  for (const [text, factor] of [
    [item.title, 1],
    [item.summary, summaryFactor],
  ] as const) {
    // A figure is as specific in the summary as in the headline, and summaries are where
    // reports give them.
    for (const signal of textSignals(text, reference))
      add(signal, kindWeight(signal) * (signal.startsWith("n:") ? 1 : factor));
  }
  // A watch-list topic and the event concept that mostly comes from the same words ("troops")
  // are one piece of evidence, not two.
  for (const [topic, concept] of TOPIC_CONCEPTS) if (signals.has(concept)) signals.delete(topic);
  return signals;
}

const TOPIC_CONCEPTS: ReadonlyArray<readonly [string, string]> = [
  ["t:troops", "c:troops"],
  ["t:munitions", "c:ammunition"],
  ["t:missiles", "c:missile"],
  ["t:sanctions", "c:sanctions"],
  ["t:technology", "c:technology"],
];

/** Signals found in free text, in any of the watched languages. */
export function textSignals(text: string, reference?: Date): Set<string> {
  const found = new Set<string>();
  const lower = text.normalize("NFKC").toLowerCase();
  for (const [id, pattern] of LEXICON_PATTERNS) if (pattern.test(lower)) found.add(id);
  // "UN" only in capitals: lower-cased, it is also the end of Kim Jong Un's name.
  if (/(?<![\p{L}\p{N}])UN(?![\p{L}\p{N}])/u.test(text.normalize("NFKC"))) found.add("p:un");
  const calendar = dates(lower, reference);
  for (const signal of calendar.signals) found.add(signal);
  // The day of a date is not a quantity: "26 November" must not also count as the figure 26.
  let rest = lower;
  for (const [start, end] of calendar.spans)
    rest = `${rest.slice(0, start)}${" ".repeat(end - start)}${rest.slice(end)}`;
  for (const signal of quantities(rest)) found.add(signal);
  return found;
}

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;

/**
 * One pattern per lexicon entry. Korean attaches particles to words, so a Hangul stem matches
 * anywhere; other stems must start a word. A stem written with a trailing space ("arms ", "밀 ")
 * must be the whole word.
 */
function stemPattern(stems: readonly string[]): RegExp {
  const alternatives = stems.map((stem) => {
    const wholeWord = stem.endsWith(" ");
    const needle = stem.trimEnd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const start = HANGUL.test(needle) && !wholeWord ? "" : "(?<![\\p{L}\\p{N}])";
    return `${start}${needle}${wholeWord ? "(?![\\p{L}\\p{N}])" : ""}`;
  });
  return new RegExp(alternatives.join("|"), "u");
}

/**
 * Event concepts and places, each with stems in English, Russian and Korean. Concepts are what
 * happened (ratified, troops, wheat); a shared concept is weak alone but adds up with others.
 */
const LEXICON: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["c:ratify", ["ratif", "ратифиц", "비준"]],
  ["c:sign", ["signed", "signs ", "sign ", "signing", "signature", "подпис", "서명"]],
  ["c:treaty", ["treaty", "pact", "договор", "조약"]],
  [
    "c:visit",
    ["visit", "arriv", "flies to", "flew to", "travels to", "визит", "посет", "прибыл", "방문", "도착"],
  ],
  [
    "c:talks",
    [
      "talks",
      "talk ",
      "talked",
      "summit",
      "meets",
      "meeting",
      "переговор",
      "встреч",
      "саммит",
      "회담",
      "회동",
    ],
  ],
  [
    "c:troops",
    ["troop", "soldier", "войск", "солдат", "военнослужащ", "бойц", "군인", "병력", "파병", "장병"],
  ],
  ["c:arms", ["weapon", "arms ", "оружи", "вооружени", "무기"]],
  [
    "c:ammunition",
    ["shell", "ammunition", "munition", "artillery", "снаряд", "боеприпас", "артиллер", "포탄", "탄약"],
  ],
  ["c:missile", ["missile", "ракет", "미사일"]],
  ["c:drone", ["drone", "беспилот", "дрон", "드론", "무인기"]],
  ["c:satellite", ["satellite", "спутник", "위성"]],
  ["c:air-defence", ["air-defen", "air defen", "pantsir", "пво", "панцир", "방공"]],
  ["c:drill", ["drill", "exercise", "учени", "훈련"]],
  ["c:navy", ["navy", "naval", "warship", "флот", "корабл", "해군", "군함"]],
  ["c:sanctions", ["sanction", "санкци", "제재"]],
  [
    "c:veto",
    ["veto", "voted against", "blocks ", "blocked ", "вето", "заблокир", "проголосовал против", "거부권"],
  ],
  ["c:resolution", ["resolution", "резолюц", "결의"]],
  ["c:monitoring", ["monitor", "мониторинг", "감시"]],
  ["c:trade", ["trade", "trading", "торгов", "товарооборот", "무역", "교역"]],
  ["c:oil", ["oil", "petrol", "нефт", "топлив", "석유", "원유", "정유"]],
  [
    "c:food",
    ["wheat", "grain", "food", "flour", "пшениц", "зерн", "продовол", "мук", "식량", "곡물", "밀가루", "밀 "],
  ],
  [
    "c:finance",
    ["bank", "ruble", "rouble", "payment", "банк", "рубл", "платеж", "платёж", "은행", "루블", "결제"],
  ],
  ["c:bridge", ["bridge", "мост", "교량", "대교", "다리 "]],
  ["c:rail", ["train", "rail", "поезд", "железнодорож", "열차", "철도"]],
  ["c:flight", ["flight", "airline", "рейс", "авиасообщ", "авиакомпан", "항공", "노선"]],
  ["c:tourism", ["touris", "турист", "туризм", "관광"]],
  ["c:workers", ["worker", "labour", "labor", "рабоч", "трудов", "мигрант", "노동자", "근로자"]],
  ["c:embassy", ["embass", "ambassador", "посольств", "посол", "대사관", "대사"]],
  ["c:nuclear", ["nuclear", "ядерн", "атомн", "핵"]],
  ["c:medics", ["medic", "doctor", "hospital", "медик", "врач", "госпитал", "의료", "의사"]],
  ["c:education", ["student", "universit", "студент", "университет", "вуз", "학생", "대학"]],
  [
    "c:casualties",
    ["bodies", "killed", "casualt", "fallen", "тела ", "погиб", "убит", "전사", "사망", "유해"],
  ],
  [
    "c:message",
    [
      "letter",
      "message",
      "greeting",
      "congratulat",
      "послани",
      "телеграмм",
      "поздрав",
      "친서",
      "축전",
      "서한",
      "축하",
    ],
  ],
  ["c:call", ["phone", "telephone", "call ", "телефон", "전화"]],
  ["c:anniversary", ["anniversar", "годовщин", "주년"]],
  ["c:technology", ["technolog", "технолог", "기술"]],
  ["c:condolences", ["condolen", "соболезн", "조의", "애도"]],
  ["p:vladivostok", ["vladivostok", "владивосток", "블라디보스토크"]],
  ["p:vostochny", ["vostochny", "восточный космодром", "космодром восточный", "보스토치니"]],
  ["p:khasan", ["khasan", "хасан", "하산"]],
  ["p:tumen", ["tumen", "туманн", "두만"]],
  ["p:rason", ["rason", "rajin", "najin", "расон", "раджин", "나선", "라선", "나진"]],
  ["p:wonsan", ["wonsan", "вонсан", "원산"]],
  ["p:chongjin", ["chongjin", "чхонджин", "청진"]],
  ["p:kyiv", ["kyiv", "kiev", "киев", "키이우", "키예프"]],
  ["p:un", ["security council", "united nations", "u.n.", "совбез", "оон", "안보리", "유엔"]],
];

const LEXICON_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = LEXICON.map(([id, stems]) => [
  id,
  stemPattern(stems),
]);

/** Small numbers spelled out before a scale word: "three thousand", "трёх тысяч". */
const SPELLED_DIGITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(?:one|a|один|одн)/u, 1],
  [/^(?:two|два|две|двух)/u, 2],
  [/^(?:three|три|трёх|трех)/u, 3],
  [/^(?:four|четыр)/u, 4],
  [/^(?:five|пят)/u, 5],
  [/^(?:six|шест)/u, 6],
  [/^(?:seven|сем)/u, 7],
  [/^(?:eight|восем|восьм)/u, 8],
  [/^(?:nine|девят)/u, 9],
  [/^(?:ten|десят)/u, 10],
];
const SPELLED_QUANTITY =
  /(?<![\p{L}\p{N}])(one|a|two|three|four|five|six|seven|eight|nine|ten|один|одна|одной|одного|два|две|двух|три|трёх|трех|четыр\p{L}*|пят\p{L}*|шест\p{L}*|сем\p{L}*|восем\p{L}*|восьм\p{L}*|девят\p{L}*|десят\p{L}*)\s+(thousand|million|billion|тысяч\p{L}*|миллион\p{L}*|миллиард\p{L}*)/gu;

const SCALE_WORDS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^\s*(?:thousand|тыс\.?|тысяч[аи]?|천)/u, 1e3],
  [/^\s*(?:million|mln|млн\.?|миллион(?:а|ов)?|백만)/u, 1e6],
  [/^\s*(?:billion|bln|млрд\.?|миллиард(?:а|ов)?|십억)/u, 1e9],
  [/^\s*(?:만)/u, 1e4],
  [/^\s*(?:억)/u, 1e8],
];

/**
 * Quantities, normalised across languages: "100,000 tonnes", "100 тысяч тонн" and "10만 톤" are
 * all `n:100000`. Single digits without a scale and four-digit years are too common to count
 * (years become the weak `y:` signal).
 */
function quantities(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SPELLED_QUANTITY)) {
    const digit = SPELLED_DIGITS.find(([pattern]) => pattern.test(match[1] ?? ""))?.[1];
    const scale = SCALE_WORDS.find(([pattern]) => pattern.test(match[2] ?? ""))?.[1];
    if (digit !== undefined && scale !== undefined) found.push(`n:${digit * scale}`);
  }
  const number = /(?<![\p{L}\p{N}.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?:[.,](\d+))?/gu;
  for (const match of text.matchAll(number)) {
    const whole = (match[1] ?? "").replace(/[,\u00a0\u202f ]/g, "");
    const fraction = match[2];
    const rest = text.slice((match.index ?? 0) + match[0].length);
    const scale = SCALE_WORDS.find(([pattern]) => pattern.test(rest))?.[1];
    // "1,5 млн" uses a decimal comma; "100,000" uses a thousands comma (three digits after it).
    let value = Number(whole);
    if (fraction !== undefined && (scale !== undefined || fraction.length !== 3))
      value = Number(`${whole}.${fraction}`);
    else if (fraction !== undefined) value = Number(`${whole}${fraction}`);
    if (!Number.isFinite(value)) continue;
    if (scale !== undefined) value *= scale;
    else if (value >= 1900 && value <= 2100 && Number.isInteger(value) && whole.length === 4) {
      found.push(`y:${value}`);
      continue;
    } else if (value < 10) continue;
    found.push(`n:${Math.round(value * 1000) / 1000}`);
  }
  return found;
}

const MONTHS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ["january", "jan", "январ"]],
  [2, ["february", "feb", "феврал"]],
  [3, ["march", "mar", "март"]],
  [4, ["april", "apr", "апрел"]],
  [5, ["may", "мая", "май"]],
  [6, ["june", "jun", "июн"]],
  [7, ["july", "jul", "июл"]],
  [8, ["august", "aug", "август"]],
  [9, ["september", "sept", "sep", "сентябр"]],
  [10, ["october", "oct", "октябр"]],
  [11, ["november", "nov", "ноябр"]],
  [12, ["december", "dec", "декабр"]],
];

/**
 * Calendar dates: "June 19", "19 June", "19 июня", "6월 19일" are all `d:6-19`. Korean reports
 * often give the day alone ("26일"); with the item's own date as reference it becomes a full date
 * (this month, or last month for a day still to come).
 */
function dates(text: string, reference?: Date): { signals: string[]; spans: Array<[number, number]> } {
  const signals: string[] = [];
  const spans: Array<[number, number]> = [];
  const known = reference !== undefined && !Number.isNaN(reference.getTime());
  // A date given with another year ("the treaty of 19 June 2024" in a 2026 report) recalls the
  // past; it says nothing about which development of this week the report tells.
  const found = (start: number, end: number, month: number, day: number, year?: string) => {
    spans.push([start, end]);
    if (year !== undefined && known && Number(year) !== reference.getUTCFullYear()) return;
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) signals.push(`d:${month}-${day}`);
  };
  const yearAfter = (end: number) => /^,?\s*(\d{4})(?!\d)/u.exec(text.slice(end))?.[1];
  // Russian month names inflect ("июня", "июнь"), so their stems start the word; English ones
  // must match whole: "19 marines" is not the 19th of March.
  const monthOf = (word: string): number | undefined =>
    MONTHS.find(([, names]) =>
      names.some((name) => (/[\u0400-\u04ff]/u.test(name) ? word.startsWith(name) : word === name)),
    )?.[0];
  const dayMonth = /(?<!\d)(\d{1,2})\s+([\p{L}]+)/gu;
  const monthDay = /([\p{L}]+)\.?\s+(\d{1,2})(?!\d)/gu;
  for (const m of text.matchAll(dayMonth)) {
    const month = monthOf(m[2] ?? "");
    const end = m.index + m[0].length;
    if (month !== undefined) found(m.index, end, month, Number(m[1]), yearAfter(end));
  }
  for (const m of text.matchAll(monthDay)) {
    const month = monthOf(m[1] ?? "");
    const end = m.index + m[0].length;
    if (month !== undefined) found(m.index, end, month, Number(m[2]), yearAfter(end));
  }
  for (const m of text.matchAll(/(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일/gu))
    found(m.index, m.index + m[0].length, Number(m[2]), Number(m[3]), m[1]);
  if (known) {
    for (const m of text.matchAll(/(?<![\d월]\s*|\d)(\d{1,2})\s*일(?!본)/gu)) {
      const day = Number(m[1]);
      const month = reference.getUTCMonth() + 1;
      const inMonth = day <= reference.getUTCDate() + 1 ? month : ((month + 10) % 12) + 1;
      found(m.index, m.index + m[0].length, inMonth, day);
    }
  }
  return { signals, spans };
}

/**
 * Headline words that say which development it is. The parties' own names are left out (every
 * headline has them), as are function words; the rest is cut to a prefix so "ratifies" and
 * "ratified", "договор" and "договора" meet. Korean words become syllable pairs, which survive
 * the particles glued to them.
 */
export function titleTokens(title: string, language: string): Set<string> {
  const tokens = new Set<string>();
  const folded = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(\d)[,.\u00a0\u202f ](?=\d{3}(?!\d))/gu, "$1");
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    if (HANGUL.test(word)) {
      if (GENERIC_TITLE_WORDS.some((generic) => word.startsWith(generic))) continue;
      const syllables = [...word];
      for (let i = 0; i + 1 < syllables.length; i++) tokens.add(`${syllables[i]}${syllables[i + 1]}`);
      continue;
    }
    if (word.length < 3 && !/\d/.test(word)) continue;
    if (STOPWORDS.has(word)) continue;
    if (GENERIC_TITLE_WORDS.some((generic) => word.startsWith(generic))) continue;
    tokens.add(language === "ko" ? word : word.slice(0, 5));
  }
  return tokens;
}

/** Dice overlap of two headlines' words. */
function dice(a: Set<string>, b: Set<string>): number {
  if (a.size < 2 || b.size < 2) return 0;
  let common = 0;
  for (const token of a) if (b.has(token)) common++;
  return (2 * common) / (a.size + b.size);
}

const STOPWORDS = new Set(
  [
    "the and for with from into over after before amid says said will would could has have had was were are its it's",
    "this that than then new about against says report reports first more most not but who what why how when where",
    "and also been being which while under between during",
    "что как для при или его она они это так уже все ещё еще было быть будет после перед между против заявил",
    "заявили сообщил сообщили также около более менее года году",
  ]
    .join(" ")
    .split(" "),
);

/** The parties' names in the three languages: present in every relevant headline. */
const GENERIC_TITLE_WORDS = [
  "russia",
  "moscow",
  "kreml",
  "north",
  "korea",
  "dprk",
  "pyongyang",
  "росси",
  "российск",
  "москв",
  "кремл",
  "кндр",
  "северн",
  "коре",
  "пхенья",
  "러시아",
  "북한",
  "북",
  "평양",
  "모스크바",
  "조선",
];
