// What a subscriber reads: one alert per story and stage, rendered for one audience (time zone) as
// an email (subject + plain text) and an SMS that fits one GSM-7 segment whenever it can.
import anyAscii from "any-ascii";
import type { Alert, AlertAttributes } from "../ports.ts";
import { GSM7_SINGLE_SEGMENT, gsm7Length, toGsm7, truncateGsm7 } from "./gsm.ts";
import type { Publish } from "./story.ts";
import { MAX_LEVEL } from "./subscriptions.ts";
import type { Story, StoryReport } from "./types.ts";
import { defaultWatchList, type StoryMeta } from "./watchlist/index.ts";

export { smsSegments } from "./gsm.ts";

/** SNS rejects subjects of 100 characters or more. */
export const MAX_SUBJECT_LENGTH = 99;
/** Outlets and links listed in one email; the rest are counted. */
const MAX_LISTED_REPORTS = 25;
/** How alerts name the story when the caller names none: the bundled document's tag and name. */
const DEFAULT_META: StoryMeta = defaultWatchList.story;

export function renderAlert(
  story: Story,
  publish: Publish,
  audience: string,
  meta: StoryMeta = DEFAULT_META,
): Alert {
  const links = storyLinks(story);
  const email = emailBody(story, publish, audience, meta);
  return {
    key: { storyId: story.id, stage: publish.key, audience },
    subject: emailSubject(story, publish, meta),
    email,
    sms: smsText(story, publish, audience, meta),
    default: email,
    attributes: alertAttributes(story, publish, audience),
    links,
  };
}

export function alertAttributes(story: Story, publish: Publish, audience: string): AlertAttributes {
  const opening = story.reports[0];
  const latest = story.reports.at(-1);
  return {
    kind: "alert",
    stage: publish.stage,
    level: publish.level,
    severity: story.severity,
    entities: [...story.entities],
    // The opening report's language, so every stage of a story reaches the same language filters.
    language: opening?.language ?? "und",
    // The report that caused this publish.
    feed: latest?.feedId ?? "unknown",
    audience,
  };
}

/** Distinct article URLs, in report order. */
export function storyLinks(story: Story): string[] {
  return [...new Set(story.reports.flatMap((report) => (report.link ? [report.link] : [])))];
}

// ---------------------------------------------------------------------------------------------
// Subject

function stageLabel(story: Story, publish: Publish, meta: StoryMeta): string {
  const BRAND = meta.tag;
  switch (publish.stage) {
    case "escalated":
      return `${BRAND} HIGH`;
    case "confirmed":
      return publish.level >= MAX_LEVEL
        ? `${BRAND} confirmed (official)`
        : `${BRAND} confirmed by ${publish.level}`;
    default:
      return story.severity === "high" ? `${BRAND} HIGH` : BRAND;
  }
}

/**
 * One line of ASCII under 100 characters: SNS refuses line breaks and control characters, and some
 * mail paths mangle non-ASCII subjects, so the headline is transliterated here (the body keeps the
 * original script).
 */
export function emailSubject(story: Story, publish: Publish, meta: StoryMeta = DEFAULT_META): string {
  return safeSubject(
    `[${stageLabel(story, publish, meta)}] ${displayHeadline(story)}`,
    MAX_SUBJECT_LENGTH,
    meta.tag,
  );
}

/** Makes any text a valid SNS subject: printable ASCII, single line, at most 99 characters. */
export function safeSubject(
  text: string,
  maxLength = MAX_SUBJECT_LENGTH,
  fallback = DEFAULT_META.tag,
): string {
  const ascii = anyAscii(stripInvisible(text))
    .replace(/[^\x20-\x7e]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const subject = ascii === "" ? fallback : ascii;
  if (subject.length <= maxLength) return subject;
  const room = maxLength - 3;
  let cut = subject.slice(0, room);
  const lastSpace = cut.lastIndexOf(" ");
  if (lastSpace >= room * 0.6) cut = cut.slice(0, lastSpace);
  return `${cut.replace(/[\s,;:.-]+$/u, "")}...`;
}

const EMOJI_AND_CONTROLS =
  /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[\u200d\ufe0e\ufe0f\u20e3]|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function stripInvisible(text: string): string {
  return text.normalize("NFC").replace(EMOJI_AND_CONTROLS, " ");
}

/** One line of readable text: controls and line breaks become spaces (emoji stay in email bodies). */
export function oneLine(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => (char === "\u200d" ? char : " "))
    .replace(/\s+/g, " ")
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Times

/** "2026-11-28 14:05 UTC". */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "2026-11-28 23:05 GMT+9 (Asia/Seoul)"; for UTC audiences just the UTC form. */
export function formatInZone(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return formatUtc(iso);
  const parts = zoneParts(date, timeZone);
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName} (${timeZone})`;
}

/** "23:05 GMT+9": the short form an SMS can afford. */
export function shortTimeInZone(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const parts = zoneParts(date, timeZone);
  return `${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

function zoneParts(date: Date, timeZone: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of zoneFormatter(timeZone).formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

// Building a formatter costs far more than using one, and there are only a few zones.
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  const known = FORMATTERS.get(timeZone);
  if (known) return known;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
  } catch {
    // The config schema rejects unknown zones; anything else still renders, in UTC.
    return zoneFormatter("UTC");
  }
  FORMATTERS.set(timeZone, formatter);
  return formatter;
}

function reportTime(report: StoryReport | undefined, fallback: string): string {
  return report?.published ?? fallback;
}

/**
 * The headline short forms (subject, SMS) use: an English report's when the story has one, else the
 * development said in English from its evidence with the outlet and language ("State Duma:
 * ratification, treaty - Nara Ilbo, in Korean"), since a romanised headline reads to nobody; the
 * original headline stays in the email body.
 */
export function displayHeadline(story: Story): string {
  const english = story.reports.find((report) => report.language === "en");
  if (english) return english.title;
  const opening = story.reports[0];
  if (!story.identity || !opening) return opening?.title ?? story.title;
  return `${story.identity} - ${oneLine(opening.feedName) || opening.feedId}, in ${languageName(opening.language)}`;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(["en"], { type: "language" });

/** "Korean" for "ko"; the tag itself when it names no language ("und"). */
function languageName(tag: string): string {
  try {
    const name = LANGUAGE_NAMES.of(tag);
    return name && name !== tag && tag !== "und" ? name : "an unknown language";
  } catch {
    return "an unknown language";
  }
}

function headlineReport(story: Story): StoryReport | undefined {
  return story.reports.find((report) => report.language === "en") ?? story.reports[0];
}

// ---------------------------------------------------------------------------------------------
// Email

/** What matched, named as people read it ("Vladimir Putin, the Duma"), not by watch-list ids. */
export function whyLabels(story: Story): string[] {
  return [...new Set(story.why.labels ?? story.why.entities)];
}

export function outletNames(story: Story): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const report of story.reports) {
    if (seen.has(report.feedId)) continue;
    seen.add(report.feedId);
    names.push(oneLine(report.feedName) || report.feedId);
  }
  return names;
}

function stageSentence(story: Story, publish: Publish): string {
  const outlets = story.outlets.length;
  switch (publish.stage) {
    case "escalated":
      return "Severity raised to HIGH: a new report makes this story more serious.";
    case "confirmed":
      return publish.level >= MAX_LEVEL
        ? "Confirmed: an official source now reports this story."
        : `Confirmed: ${outlets} independent outlets now report this story.`;
    default:
      return story.severity === "high" ? "New story (HIGH severity)." : "New story.";
  }
}

export function emailBody(
  story: Story,
  publish: Publish,
  audience: string,
  meta: StoryMeta = DEFAULT_META,
): string {
  const opening = story.reports[0];
  const latest = story.reports.at(-1);
  const outlets = outletNames(story);
  const localZone = audience !== "UTC" && audience !== "Etc/UTC";
  const lines: string[] = [];

  lines.push(stageSentence(story, publish), "", oneLine(story.title), "");

  const official = opening?.official ? " (official source)" : "";
  lines.push(`Reported by: ${outlets[0] ?? "unknown outlet"}${official}`);
  if (outlets.length > 1) lines.push(`Also reported by: ${listed(outlets.slice(1))}`);
  lines.push(`Severity: ${story.severity}`);
  const firstAt = reportTime(opening, story.firstSeen);
  lines.push(`First reported: ${formatUtc(firstAt)}`);
  if (localZone) lines.push(`                ${formatInZone(firstAt, audience)}`);
  if (publish.stage !== "new" && latest && latest !== opening) {
    const latestAt = reportTime(latest, story.updatedAt);
    lines.push("", `Latest report (${oneLine(latest.feedName)}): ${oneLine(latest.title)}`);
    lines.push(`  at ${formatUtc(latestAt)}${localZone ? ` / ${formatInZone(latestAt, audience)}` : ""}`);
  }
  lines.push("");

  lines.push("Why this matched:");
  lines.push(`  Matched: ${whyLabels(story).join(", ") || "(none)"}`);
  lines.push(`  Rule: ${oneLine(story.why.rule)}`);
  if (story.why.snippet.trim() !== "") lines.push(`  Evidence: ${oneLine(story.why.snippet)}`);
  lines.push("");

  const links = storyLinks(story);
  if (links.length > 0) {
    lines.push("Links:");
    for (const link of links.slice(0, MAX_LISTED_REPORTS)) {
      const report = story.reports.find((candidate) => candidate.link === link);
      if (report)
        lines.push(`  - ${oneLine(report.feedName)} (${report.language}): ${oneLine(report.title)}`);
      lines.push(`    ${link}`);
    }
    if (links.length > MAX_LISTED_REPORTS) lines.push(`  ... and ${links.length - MAX_LISTED_REPORTS} more`);
    lines.push("");
  }

  lines.push(...footer(meta));
  return lines.join("\n");
}

function listed(names: string[]): string {
  if (names.length <= MAX_LISTED_REPORTS) return names.join(", ");
  return `${names.slice(0, MAX_LISTED_REPORTS).join(", ")} and ${names.length - MAX_LISTED_REPORTS} more`;
}

export function footer(meta: StoryMeta = DEFAULT_META): string[] {
  return [
    "--",
    `You receive this because you subscribed to ${meta.name} alerts.`,
    "Unsubscribe: use the unsubscribe link Amazon SNS adds to every email it sends; it stops all",
    "messages to this address. To remove a subscriber for good, delete its entry under",
    '"subscribers" in the config file and deploy again.',
  ];
}

// ---------------------------------------------------------------------------------------------
// SMS

/** Below this many headline characters a link is not worth the room it takes. */
const MIN_HEADLINE_WITH_LINK = 50;
const MAX_OUTLET_IN_SMS = 24;

/**
 * One GSM-7 segment: "RU-DPRK: <headline> (<outlet> +2, 14:05 UTC) <link>". The headline is
 * transliterated and shortened first; the link goes when the headline would otherwise be cut
 * below a readable length.
 */
export function smsText(
  story: Story,
  publish: Publish,
  audience: string,
  meta: StoryMeta = DEFAULT_META,
): string {
  const shown = headlineReport(story);
  const others = story.outlets.length - 1;
  const outlet = truncateGsm7(toGsm7(shown?.feedName ?? shown?.feedId ?? ""), MAX_OUTLET_IN_SMS);
  const time = toGsm7(shortTimeInZone(reportTime(story.reports[0], story.firstSeen), audience));
  const about = [outlet && others > 0 ? `${outlet} +${others}` : outlet, time].filter(Boolean).join(", ");
  const prefix = `${toGsm7(stageLabel(story, publish, meta))}: `;
  const suffix = about ? ` (${about})` : "";
  const headline = toGsm7(displayHeadline(story)) || "new report";
  const link = shown?.link ?? storyLinks(story)[0];

  const compose = (withLink: string) => {
    const room = GSM7_SINGLE_SEGMENT - gsm7Length(prefix + suffix + withLink);
    return { room, text: `${prefix}${truncateGsm7(headline, Math.max(room, 0))}${suffix}${withLink}` };
  };
  if (link && isGsm7Link(link)) {
    const withLink = compose(` ${link}`);
    if (withLink.room >= Math.min(gsm7Length(headline), MIN_HEADLINE_WITH_LINK)) return withLink.text;
  }
  const plain = compose("");
  if (plain.room >= 10) return plain.text;
  // Only an absurd outlet name gets here: drop the meta rather than the headline.
  return `${prefix}${truncateGsm7(headline, GSM7_SINGLE_SEGMENT - gsm7Length(prefix))}`;
}

function isGsm7Link(link: string): boolean {
  return toGsm7(link) === link;
}
