// Story grouping: reports of the same development from different outlets, in any language, become
// one story, so a subscriber's phone rings once. Pure: no I/O, no clock of its own.
//
// Every relevant item names Russia and North Korea, so those say nothing about *which*
// development an item reports. Grouping therefore weighs specific, language-independent evidence
// (entities the matcher resolved across languages, numbers, dates, places, event concepts), damps
// signals that many open stories share (IDF-like), and asks for enough of it before merging.
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

  const best = bestMatch(item, signals, open);
  if (!best) return openStory(item, signals, options.now);
  return joinStory(best, item, signals, options);
}

function openStory(item: StoredItem, signals: Map<string, number>, now: Date): StoryDecision {
  const at = now.toISOString();
  const story: Story = {
    id: storyIdFor(item.id, now),
    title: item.title,
    severity: item.match.severity,
    entities: [...item.match.entities],
    signals: [...signals.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([signal]) => signal)
      .slice(0, MAX_STORY_SIGNALS),
    reports: [reportOf(item)],
    outlets: [item.feedId],
    confirmed: item.official,
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
    signals: union(before.signals, [...signals.keys()]).slice(0, MAX_STORY_SIGNALS),
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

/**
 * How much a signal of each kind says on its own, before rarity among open stories. People and
 * places (`e:`) are specific; topic entities (`t:`, "diplomacy", "economy") are watch-list
 * categories that many developments share, so the finer concepts (`c:`) carry more.
 */
const KIND_WEIGHT: Record<string, number> = { e: 1, t: 0.5, c: 1, p: 1, n: 1.5, d: 1.5, y: 0.3 };
/** Evidence found only in the summary counts for less than evidence in the headline. */
const SUMMARY_FACTOR = 0.6;

/** Weighted shared evidence needed to merge without help from the headline. */
const MIN_SHARED = 2.5;
/** With similar headlines (same language) less shared evidence will do. */
const MIN_SHARED_WITH_TITLE = 2;
const MIN_TITLE_FOR_SUPPORT = 0.3;
/** Near-identical headlines in the same language are the same report, whatever else differs. */
const MIN_TITLE_ALONE = 0.6;
/** Shared evidence that outweighs headlines naming different events. */
const STRONG_SHARED = 4;
/** Share of the smaller side's evidence that must be common. */
const MIN_OVERLAP = 0.6;
/** With similar headlines in the same language, half will do. */
const MIN_OVERLAP_WITH_TITLE = 0.5;

interface Similarity {
  shared: number;
  overlap: number;
  title: number;
  /** The headlines name different events. */
  conflict: boolean;
  same: boolean;
}

function bestMatch(item: StoredItem, signals: Map<string, number>, open: Story[]): Story | undefined {
  if (open.length === 0) return undefined;
  const headlines = new Headlines();
  // How many open stories share each signal, and each headline word (`w:`) in the item's language.
  const documentFrequency = new Map<string, number>();
  const count = (key: string) => documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
  for (const story of open) {
    for (const signal of new Set(story.signals)) count(signal);
    const words = new Set<string>();
    for (const report of story.reports)
      if (report.language === item.language)
        for (const token of headlines.tokens(report.title, report.language)) words.add(token);
    for (const token of words) count(`w:${token}`);
  }

  let best: { story: Story; score: number } | undefined;
  for (const story of open) {
    const similarity = compare(item, signals, story, documentFrequency, headlines);
    if (!similarity.same) continue;
    const score = similarity.overlap + similarity.title + similarity.shared / 10;
    const better =
      !best ||
      score > best.score ||
      (score === best.score && story.firstSeen < best.story.firstSeen) ||
      (score === best.score && story.firstSeen === best.story.firstSeen && story.id < best.story.id);
    if (better) best = { story, score };
  }
  return best?.story;
}

/**
 * Headline words and concepts of each report. Every placement re-reads the same open stories, so
 * the results are kept across calls (bounded; a headline's tokens never change).
 */
class Headlines {
  tokens(title: string, language: string): Set<string> {
    return memo(TOKEN_CACHE, `${language}\u0000${title}`, () => titleTokens(title, language));
  }

  concepts(title: string): Set<string> {
    return memo(CONCEPT_CACHE, title, () => headlineConcepts(title));
  }
}

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

function compare(
  item: StoredItem,
  signals: Map<string, number>,
  story: Story,
  documentFrequency: Map<string, number>,
  headlines: Headlines,
): Similarity {
  // A signal that at most two open stories share still tells them apart from the rest; one that
  // more share is background for this window and fades as 2/df.
  const rarity = (signal: string) => Math.min(1, 2 / (documentFrequency.get(signal) ?? 1));
  const storySignals = new Set(story.signals);

  let shared = 0;
  let itemTotal = 0;
  for (const [signal, weight] of signals) {
    itemTotal += weight * rarity(signal);
    if (storySignals.has(signal)) shared += Math.min(weight, kindWeight(signal)) * rarity(signal);
  }
  let storyTotal = 0;
  for (const signal of storySignals) storyTotal += kindWeight(signal) * rarity(signal);
  const smaller = Math.min(itemTotal, storyTotal);
  const overlap = smaller > 0 ? shared / smaller : 0;

  const itemTokens = headlines.tokens(item.title, item.language);
  const wordWeight = (token: string) => rarity(`w:${token}`);
  let title = 0;
  for (const report of story.reports) {
    if (report.language !== item.language) continue;
    const reportTokens = headlines.tokens(report.title, report.language);
    title = Math.max(title, weightedDice(itemTokens, reportTokens, wordWeight));
  }

  const similar =
    title >= MIN_TITLE_ALONE ||
    (shared >= MIN_SHARED && overlap >= MIN_OVERLAP) ||
    (shared >= MIN_SHARED_WITH_TITLE && overlap >= MIN_OVERLAP_WITH_TITLE && title >= MIN_TITLE_FOR_SUPPORT);
  if (!similar) return { shared, overlap, title, conflict: false, same: false };

  // Headlines that each name what happened, and name different things ("wheat" / "oil",
  // "troops" / "medics"), report different developments, unless the same people, places and
  // figures leave no doubt ("Lavrov flies to Wonsan to talk trade" / "Lavrov arrives in Wonsan").
  if (shared >= STRONG_SHARED) return { shared, overlap, title, conflict: false, same: true };
  const itemConcepts = headlines.concepts(item.title);
  const storyConcepts = new Set(story.reports.flatMap((report) => [...headlines.concepts(report.title)]));
  const conflict =
    itemConcepts.size > 0 && storyConcepts.size > 0 && ![...itemConcepts].some((c) => storyConcepts.has(c));
  return { shared, overlap, title, conflict, same: !conflict };
}

/** The treaty is the backdrop of every development: it weighs like a topic and names no event. */
const BACKDROP_CONCEPTS = new Set(["c:treaty"]);

/** Concepts a headline names as what happened. */
function headlineConcepts(title: string): Set<string> {
  return new Set(
    [...textSignals(title)].filter((signal) => signal.startsWith("c:") && !BACKDROP_CONCEPTS.has(signal)),
  );
}

function kindWeight(signal: string): number {
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
  item: Pick<StoredItem, "title" | "summary" | "match"> & Partial<Pick<StoredItem, "published" | "seenAt">>,
  generic: ReadonlySet<string> = new Set(GENERIC_ENTITIES),
): Map<string, number> {
  const signals = new Map<string, number>();
  const add = (signal: string, weight: number) =>
    signals.set(signal, Math.max(signals.get(signal) ?? 0, weight));

  for (const entity of item.match.entities) {
    if (generic.has(entity)) continue;
    const hits = item.match.hits.filter((hit) => hit.entity === entity);
    const inTitle = hits.length === 0 || hits.some((hit) => hit.field === "title");
    const signal = hits.some((hit) => hit.side === "topic") ? `t:${entity}` : `e:${entity}`;
    add(signal, kindWeight(signal) * (inTitle ? 1 : SUMMARY_FACTOR));
  }
  const reference = new Date(item.published ?? item.seenAt ?? Number.NaN);
  for (const [text, factor] of [
    [item.title, 1],
    [item.summary, SUMMARY_FACTOR],
  ] as const) {
    for (const signal of textSignals(text, reference)) add(signal, kindWeight(signal) * factor);
  }
  return signals;
}

/** Signals found in free text, in any of the watched languages. */
export function textSignals(text: string, reference?: Date): Set<string> {
  const found = new Set<string>();
  const lower = text.normalize("NFKC").toLowerCase();
  for (const [id, pattern] of LEXICON_PATTERNS) if (pattern.test(lower)) found.add(id);
  for (const signal of quantities(lower)) found.add(signal);
  for (const signal of dates(lower, reference)) found.add(signal);
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
  ["p:un", ["security council", "united nations", "совбез", "оон", "안보리", "유엔"]],
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
function dates(text: string, reference?: Date): string[] {
  const found: string[] = [];
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
    if (month !== undefined) pushDate(found, month, Number(m[1]));
  }
  for (const m of text.matchAll(monthDay)) {
    const month = monthOf(m[1] ?? "");
    if (month !== undefined) pushDate(found, month, Number(m[2]));
  }
  for (const m of text.matchAll(/(\d{1,2})\s*월\s*(\d{1,2})\s*일/gu))
    pushDate(found, Number(m[1]), Number(m[2]));
  if (reference && !Number.isNaN(reference.getTime())) {
    for (const m of text.matchAll(/(?<![\d월]\s*|\d)(\d{1,2})\s*일(?!본)/gu)) {
      const day = Number(m[1]);
      const month = reference.getUTCMonth() + 1;
      pushDate(found, day <= reference.getUTCDate() + 1 ? month : ((month + 10) % 12) + 1, day);
    }
  }
  return found;
}

function pushDate(found: string[], month: number, day: number) {
  if (month >= 1 && month <= 12 && day >= 1 && day <= 31) found.push(`d:${month}-${day}`);
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

/** Dice overlap of two headlines, each word weighted by its rarity among open stories. */
function weightedDice(a: Set<string>, b: Set<string>, weight: (token: string) => number): number {
  if (a.size < 2 || b.size < 2) return 0;
  let common = 0;
  let total = 0;
  for (const token of a) {
    total += weight(token);
    if (b.has(token)) common += weight(token);
  }
  for (const token of b) total += weight(token);
  return total > 0 ? (2 * common) / total : 0;
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
