// `npm run history` for people: one block per match, story or alert, newest first.
import type { AlertView, HistoryView, MatchView, StoryView } from "./query.ts";

export function renderHistory(view: HistoryView, stories: boolean): string[] {
  if (stories) {
    return [`Stories (${view.stories.length})`, ...view.stories.flatMap(renderStory)];
  }
  return [
    `Matches (${view.matches.length})`,
    ...view.matches.flatMap(renderMatch),
    "",
    `Alerts (${view.alerts.length})`,
    ...view.alerts.flatMap(renderAlertLines),
  ];
}

function renderMatch(match: MatchView): string[] {
  return [
    `  ${match.seenAt}  ${match.feedName}: ${match.title}`,
    `      ${match.rule} · ${match.severity} · ${match.entities.join(", ")}${match.storyId ? ` · story ${match.storyId}` : " · not yet in a story"}`,
    ...(match.link ? [`      ${match.link}`] : []),
  ];
}

function renderStory(story: StoryView): string[] {
  return [
    `  ${story.eventAt ?? story.firstSeen}  ${story.severity === "high" ? "HIGH  " : "normal"} ${story.title}`,
    `      ${story.outlets.length} outlet${story.outlets.length === 1 ? "" : "s"}: ${story.outlets.join(", ")}`,
    `      why: ${story.why}`,
    ...(story.notAlerted ? [`      ${story.notAlerted}`] : []),
    ...story.reports.map(
      (r) =>
        `      - ${r.feedName}${r.official ? " (official)" : ""}: ${r.title}${r.link ? ` <${r.link}>` : ""}`,
    ),
    ...story.alerts.flatMap((alert) => renderAlertLines(alert).map((line) => `    ${line}`)),
  ];
}

function renderAlertLines(alert: AlertView): string[] {
  const to =
    alert.recipients.map((r) => `${r.subscriber} (${r.protocol} ${r.endpoint})`).join(", ") ||
    "nobody in the current config";
  return [
    `  ${alert.at ?? "-"}  ${alert.status} ${alert.stage} · ${alert.audience}: ${alert.title}`,
    `      to ${to}`,
    `      why: ${alert.why}`,
  ];
}
