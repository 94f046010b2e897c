// The matcher: scan both fields, take out what is only named (foils, asides, backdrops), judge
// with the relevance rules (rules.ts), then let a roundup undo a verdict no segment supports.
// Nothing here knows which two sides: they are the watch-list document's, in its order.
import type { EntityHit, Matcher, MatchResult, NewsItem } from "../types.ts";
import type { WatchEntity } from "../watchlist/index.ts";
import { assignSentences, type Compiled, type Hit, scanField } from "./compiled.ts";
import { bothNamed, missingSideRule, severityOf, sidesOf } from "./evidence.ts";
import { glimpseOf, nothingFound, snippetOf } from "./explain.ts";
import { titleRelatesSides, withoutBackground, withoutForeignMentions } from "./foreground.ts";
import { roundupVerdict, splitsSides } from "./roundup.ts";
import { judge, type Verdict } from "./rules.ts";
import { SCORE } from "./scores.ts";

export { compileWatchList } from "./compiled.ts";

export function createEngine(compiled: Compiled): Matcher {
  return {
    match(item: Pick<NewsItem, "title" | "summary" | "language">): MatchResult {
      const title = scanField(compiled, "title", item.title ?? "");
      const summary = scanField(compiled, "summary", item.summary ?? "");
      let hits = title.hits.length === 0 ? summary.hits : title.hits.concat(summary.hits);
      if (title.excluded.size > 0 || summary.excluded.size > 0) {
        const excluded = new Set([...title.excluded, ...summary.excluded]);
        hits = hits.filter((hit) => !excluded.has(hit.entity));
      }
      if (compiled.conditional.size > 0 && hits.some((hit) => compiled.conditional.has(hit.entity))) {
        const context = new Set([...title.context, ...summary.context]);
        hits = hits.filter((hit) => !compiled.conditional.has(hit.entity) || context.has(hit.entity));
      }
      // Most items name one side or none (oil prices, a Kremlin briefing): they need no sentences,
      // and one that names neither side has nothing of the story to show, whatever topic words it has.
      let sides = sidesOf(compiled, hits);
      if (!sides.pair && !sides.a && !sides.b) return nothingFound(title.text);
      let verdict: Verdict;
      const judgeHits = (evidence: readonly Hit[]) =>
        judge(compiled, evidence, title.listCue || summary.listCue, (field) =>
          field === "title" ? title : summary,
        );
      if (bothNamed(sides)) {
        assignSentences(summary);
        hits = withoutForeignMentions(compiled, hits, title.text, summary.text);
        sides = sidesOf(compiled, hits);
        verdict = bothNamed(sides)
          ? judgeHits(hits)
          : { relevant: false, rule: "aside-only", score: SCORE.asideOnly, sentence: undefined };
        // Only a match can rest on a backdrop, so only a match pays for looking for one.
        if (verdict.relevant && !titleRelatesSides(compiled, title)) {
          const foreground = withoutBackground(compiled, hits, summary.text);
          if (foreground.length < hits.length) {
            hits = foreground;
            sides = sidesOf(compiled, hits);
            verdict = bothNamed(sides)
              ? judgeHits(hits)
              : { relevant: false, rule: "background-only", score: SCORE.asideOnly, sentence: undefined };
          }
        }
      } else {
        verdict = {
          relevant: false,
          rule: sides.b ? missingSideRule(compiled, 0) : sides.a ? missingSideRule(compiled, 1) : "no-sides",
          score: sides.a || sides.b ? SCORE.oneSide : SCORE.none,
          sentence: undefined,
        };
      }
      // A headline of two sentences naming one side each strings two stories together.
      if (
        verdict.relevant &&
        !verdict.rule.startsWith("pair") &&
        (title.roundupCue || summary.roundupCue || splitsSides(compiled, title))
      ) {
        const cued = title.roundupCue || summary.roundupCue;
        verdict = roundupVerdict(compiled, hits, title, summary, cued) ?? verdict;
      }
      const entityHits: EntityHit[] = hits.map((hit) => {
        const entity = compiled.entities[hit.entity] as WatchEntity;
        const source = hit.field === "title" ? title.text : summary.text;
        return {
          entity: entity.id,
          label: entity.label,
          side: entity.side,
          text: source.slice(hit.start, hit.end),
          field: hit.field,
          start: hit.start,
          end: hit.end,
        };
      });
      return {
        relevant: verdict.relevant,
        score: Math.min(1, Math.round(verdict.score * 1000) / 1000),
        severity: verdict.relevant ? severityOf(compiled, hits) : "normal",
        entities: [...new Set(entityHits.map((hit) => hit.entity))],
        hits: entityHits,
        rule: verdict.rule,
        snippet: verdict.relevant
          ? snippetOf([title, summary], hits, verdict.sentence)
          : glimpseOf(title.hits.length > 0 ? title : summary),
      };
    },
  };
}
