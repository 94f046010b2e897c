// The daily digest: one email with the day's stories, most serious first, each with its outlets,
// rendered for one audience (time zone). Pure.
import type { Alert, AlertAttributes } from "../ports.ts";
import {
  displayHeadline,
  footer,
  formatInZone,
  formatUtc,
  oneLine,
  outletNames,
  safeSubject,
  storyLinks,
  whyLabels,
} from "./format.ts";
import { GSM7_SINGLE_SEGMENT, toGsm7, truncateGsm7 } from "./gsm.ts";
import { storyLevel } from "./story.ts";
import type { Severity, Story } from "./types.ts";
import { defaultWatchList, type StoryMeta } from "./watchlist/index.ts";

/** Keeps the email far below SNS's 256 KB even with long headlines; the rest are counted. */
const MAX_STORIES = 100;
const MAX_LINKS_PER_STORY = 5;

const SECTIONS: ReadonlyArray<readonly [Severity, string]> = [
  ["high", "HIGH severity"],
  ["normal", "Normal severity"],
];

export function renderDigest(
  stories: Story[],
  day: string,
  audience: string,
  meta: StoryMeta = defaultWatchList.story,
): Alert | undefined {
  const unique = [...new Map(stories.map((story) => [story.id, story])).values()];
  if (unique.length === 0) return undefined;
  const ordered = unique.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      storyLevel(b) - storyLevel(a) ||
      a.firstSeen.localeCompare(b.firstSeen) ||
      a.id.localeCompare(b.id),
  );
  const high = ordered.filter((story) => story.severity === "high").length;
  const count = `${ordered.length} ${ordered.length === 1 ? "story" : "stories"}`;
  const summary = high > 0 ? `${count}, ${high} high` : count;

  return {
    key: { storyId: `digest-${day}`, stage: "digest", audience },
    subject: safeSubject(`[${meta.tag} digest] ${day}: ${summary}`, undefined, meta.tag),
    email: digestEmail(ordered, day, audience, summary, meta),
    sms: digestSms(ordered, day, summary, meta),
    default: digestEmail(ordered, day, audience, summary, meta),
    attributes: digestAttributes(ordered, audience),
    links: [...new Set(ordered.flatMap(storyLinks))],
  };
}

/** How the digest and the history mark a story that was older than the age limit when first seen. */
export function notAlertedNote(maxAgeHours: number): string {
  return `Recorded, not alerted (older than ${maxAgeHours} h when first seen)`;
}

function severityRank(severity: Severity): number {
  return severity === "high" ? 1 : 0;
}

function digestAttributes(stories: Story[], audience: string): AlertAttributes {
  const languages = new Set(stories.flatMap((story) => story.reports.map((report) => report.language)));
  return {
    kind: "digest",
    stage: "digest",
    level: Math.max(...stories.map(storyLevel)),
    severity: stories.some((story) => story.severity === "high") ? "high" : "normal",
    entities: [...new Set(stories.flatMap((story) => story.entities))],
    language: languages.size === 1 ? ([...languages][0] ?? "und") : "mul",
    feed: "digest",
    audience,
  };
}

function digestEmail(
  stories: Story[],
  day: string,
  audience: string,
  summary: string,
  meta: StoryMeta,
): string {
  const localZone = audience !== "UTC" && audience !== "Etc/UTC";
  const lines: string[] = [
    `${meta.name}: daily digest for ${day}`,
    `${summary}. Times in UTC${localZone ? ` and ${audience}` : ""}.`,
    "",
  ];
  let shown = 0;
  for (const [severity, heading] of SECTIONS) {
    const section = stories.filter((story) => story.severity === severity);
    if (section.length === 0) continue;
    lines.push(`== ${heading} (${section.length}) ==`, "");
    for (const story of section) {
      if (shown === MAX_STORIES) break;
      shown += 1;
      lines.push(...storyBlock(story, audience, localZone), "");
    }
  }
  if (stories.length > shown) lines.push(`... and ${stories.length - shown} more stories not listed.`, "");
  lines.push(...footer(meta));
  return lines.join("\n");
}

function storyBlock(story: Story, audience: string, localZone: boolean): string[] {
  const outlets = outletNames(story);
  const firstAt = story.reports[0]?.published ?? story.firstSeen;
  const block = [`* ${oneLine(story.title)}`];
  const english = displayHeadline(story);
  if (english !== story.title) block.push(`  (${oneLine(english)})`);
  const official = story.reports.some((report) => report.official) ? ", incl. an official source" : "";
  block.push(`  Outlets (${outlets.length}${official}): ${outlets.join(", ")}`);
  if (story.stale) block.push(`  ${notAlertedNote(story.stale.maxAgeHours)}`);
  block.push(
    `  First reported: ${formatUtc(firstAt)}${localZone ? ` / ${formatInZone(firstAt, audience)}` : ""}`,
  );
  if (story.why.entities.length > 0) block.push(`  Matched: ${whyLabels(story).join(", ")}`);
  const links = storyLinks(story);
  for (const link of links.slice(0, MAX_LINKS_PER_STORY)) block.push(`  ${link}`);
  if (links.length > MAX_LINKS_PER_STORY)
    block.push(`  ... and ${links.length - MAX_LINKS_PER_STORY} more links`);
  return block;
}

/** Digests go to email only (see filterPolicyFor); the SMS form exists because SNS needs a body. */
function digestSms(stories: Story[], day: string, summary: string, meta: StoryMeta): string {
  const head = toGsm7(`${meta.tag} digest ${day}: ${summary}.`);
  const top = stories[0];
  if (!top) return head;
  const room = GSM7_SINGLE_SEGMENT - head.length - " Top: ".length;
  return room >= 20 ? `${head} Top: ${truncateGsm7(toGsm7(displayHeadline(top)), room)}` : head;
}
