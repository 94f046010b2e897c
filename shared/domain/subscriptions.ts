// Who receives what. The same filter policy is handed to SNS by the CDK stack and evaluated by the
// local sink, so `npm start` shows exactly the routing a deployment does.
import type { SubscriberConfig } from "../config/schema.ts";
import type { AlertAttributes } from "../ports.ts";

/** Confirmation level of a story reported by an official source: it satisfies any threshold. */
export const MAX_LEVEL = 99;

/** The subset of the SNS filter-policy language this project emits. */
export type FilterCondition = string | { numeric: [string, number] | [string, number, string, number] };
export type FilterPolicy = { [attribute: string]: FilterCondition[] | FilterPolicy[] };

/** Whether a subscriber takes alerts as they happen. */
export function receivesAlerts(subscriber: Pick<SubscriberConfig, "mode">): boolean {
  return subscriber.mode !== "digest";
}

/** Whether a subscriber reads the daily digest: a digest by SMS would be unreadable, so email only. */
export function readsDigest(subscriber: Pick<SubscriberConfig, "mode" | "protocol">): boolean {
  return subscriber.mode !== "immediate" && subscriber.protocol === "email";
}

export function filterPolicyFor(subscriber: SubscriberConfig): FilterPolicy {
  const kinds: string[] = [];
  if (receivesAlerts(subscriber)) kinds.push("alert");
  if (readsDigest(subscriber)) kinds.push("digest");

  // Times are rendered per audience (time zone), so each subscriber takes its own zone's copy.
  // The stage names the kind too ("digest" is only ever a digest), and SNS allows five keys per
  // policy, so no "kind" key is spent here.
  const alertFilters: FilterPolicy = { audience: [subscriber.timeZone] };
  if (subscriber.minSeverity === "high") alertFilters.severity = ["high"];
  if (subscriber.entities.length > 0) alertFilters.entities = [...subscriber.entities];
  if (subscriber.languages.length > 0) alertFilters.language = [...subscriber.languages];

  const branches: FilterPolicy[] = [];
  if (kinds.includes("alert")) {
    if (subscriber.minOutlets <= 1) {
      branches.push({ ...alertFilters, stage: ["new", "escalated"] });
    } else {
      // Wait for confirmation: the first message this subscriber sees is the one that crosses its
      // threshold ("confirmed" at exactly its level), or a new/escalated one already past it.
      branches.push({
        ...alertFilters,
        stage: ["new", "escalated"],
        level: [{ numeric: [">=", subscriber.minOutlets] }],
      });
      branches.push({
        ...alertFilters,
        stage: ["confirmed"],
        level: [{ numeric: ["=", subscriber.minOutlets] }],
      });
    }
  }
  if (kinds.includes("digest")) branches.push({ stage: ["digest"], audience: [subscriber.timeZone] });
  if (branches.length === 0) return { stage: ["none"] };
  if (branches.length === 1) return branches[0] as FilterPolicy;
  return { $or: branches };
}

/** Evaluates a policy from filterPolicyFor against a message's attributes, as SNS would. */
export function policyAccepts(policy: FilterPolicy, attributes: AlertAttributes): boolean {
  const values = attributes as unknown as Record<string, unknown>;
  return Object.entries(policy).every(([name, conditions]) => {
    if (name === "$or")
      return (conditions as FilterPolicy[]).some((branch) => policyAccepts(branch, attributes));
    const value = values[name];
    if (value === undefined) return false;
    const candidates = Array.isArray(value) ? value : [value];
    return candidates.some((candidate) =>
      (conditions as FilterCondition[]).some((condition) => conditionHolds(condition, candidate)),
    );
  });
}

function conditionHolds(condition: FilterCondition, value: unknown): boolean {
  if (typeof condition === "string") return String(value) === condition;
  const n = Number(value);
  if (!Number.isFinite(n)) return false;
  const parts = condition.numeric;
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const op = parts[i] as string;
    const bound = parts[i + 1] as number;
    const ok =
      op === "="
        ? n === bound
        : op === ">="
          ? n >= bound
          : op === ">"
            ? n > bound
            : op === "<"
              ? n < bound
              : n <= bound;
    if (!ok) return false;
  }
  return true;
}

/** Distinct time zones among subscribers: one rendering (and one publish) per zone. */
export function audiences(subscribers: Pick<SubscriberConfig, "timeZone">[]): string[] {
  const zones = [...new Set(subscribers.map((s) => s.timeZone))].sort();
  return zones.length > 0 ? zones : ["UTC"];
}

/** Distinct confirmation thresholds above 1 that some subscriber waits for. */
export function confirmationThresholds(subscribers: Pick<SubscriberConfig, "minOutlets">[]): number[] {
  return [...new Set(subscribers.map((s) => s.minOutlets).filter((n) => n > 1))].sort((a, b) => a - b);
}
