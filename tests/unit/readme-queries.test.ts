// The README's Logs Insights queries name log fields by hand: each one must be a field the
// deployed functions log under that message, or the query returns empty columns and nobody notices.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const DEPLOYED_FUNCTIONS = ["poll-feeds", "notify-subscribers", "send-digest"];

interface Query {
  text: string;
  message: string;
  fields: string[];
}

function readmeQueries(): Query[] {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const section = readme.split("## Useful CloudWatch Logs Insights queries")[1] ?? "";
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split(/\n\s*\n/)
    .filter((text) => text.includes("filter message"))
    .map((text) => ({
      text,
      message: /filter message = "([^"]+)"/.exec(text)?.[1] ?? "",
      fields: (/^fields (.+)$/m.exec(text)?.[1] ?? "")
        .split(",")
        .map((field) => field.trim())
        .filter((field) => field !== "" && !field.startsWith("@")),
    }));
}

/** message → the keys logged with it, from every `log.info|warn|error("message", { … })` call. */
function loggedFields(): Map<string, Set<string>> {
  const logged = new Map<string, Set<string>>();
  for (const name of DEPLOYED_FUNCTIONS) {
    const dir = join(projectRoot, "functions", name);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(join(dir, file), "utf8");
      for (const call of source.matchAll(/\.(?:info|warn|error|debug)\(\s*"([^"]+)",\s*\{([^}]*)\}/g)) {
        const [, message = "", body = ""] = call;
        const keys = [...body.matchAll(/(?:^|,)\s*(\w+)\s*(?=[:,]|$)/g)].map((m) => m[1] ?? "");
        const known = logged.get(message) ?? new Set<string>();
        for (const key of keys) known.add(key);
        logged.set(message, known);
      }
    }
  }
  return logged;
}

describe("README Logs Insights queries", () => {
  const queries = readmeQueries();
  const logged = loggedFields();

  it("are there to check", () => {
    expect(queries.length).toBeGreaterThanOrEqual(3);
    expect(logged.get("feed failed")).toContain("feedId");
  });

  it.each(queries.map((query) => [query.message, query] as const))(
    'filter on "%s", a message the functions log, and show only fields logged with it',
    (message, query) => {
      const fields = logged.get(message);
      expect(fields, `no function logs "${message}"`).toBeDefined();
      for (const field of query.fields)
        expect([...(fields ?? [])], `${field} in\n${query.text}`).toContain(field);
    },
  );
});
