// `npm run history` over what a local run stored: the demo pipeline runs with a data dir (the code
// `npm start -- --data D` runs), then the history CLI, as a process, reads that dir.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { startLocalPipeline } from "#functions/local/local-pipeline.ts";
import { loadDemoCatalog } from "#shared/adapters/local/demo-feed-server.ts";
import type { OutboxRecord } from "#shared/adapters/local/sink.ts";

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "pact-history-"));
const dataDir = join(dir, "data");
const outboxPath = join(dir, "outbox.jsonl");

type Row = Record<string, unknown> & { type: string };
let stored: Array<{ id: string; title: string; storyId?: string }>;
let outbox: OutboxRecord[];

async function history(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(join(projectRoot, "node_modules/.bin/tsx"), ["functions/local/history.ts", ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME ?? "" },
    timeout: 120_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

const rows = (stdout: string): Row[] =>
  stdout
    .trimEnd()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Row);

beforeAll(async () => {
  const pipeline = await startLocalPipeline({ dataDir, outboxPath, print: () => undefined });
  try {
    await pipeline.runCycle({ digest: true });
    stored = await pipeline.storedItems();
  } finally {
    await pipeline.stop();
  }
  outbox = readFileSync(outboxPath, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboxRecord);
}, 240_000);

describe("npm run history -- --data D", () => {
  let all: Row[];
  beforeAll(async () => {
    const result = await history("--data", dataDir, "--json");
    expect(result.code, result.stderr).toBe(0);
    all = rows(result.stdout);
  }, 150_000);

  it("lists every stored match with its story", () => {
    const matches = all.filter((r) => r.type === "match");
    expect(matches.map((m) => m.title).sort()).toEqual(stored.map((s) => s.title).sort());
    expect(matches.every((m) => typeof m.storyId === "string" && typeof m.rule === "string")).toBe(true);
  });

  it("lists the alerts with the subscribers they reached, endpoints masked, and why", () => {
    const alerts = all.filter((r) => r.type === "alert") as Array<
      Row & {
        recipients: Array<{ subscriber: string; endpoint: string }>;
        why: string;
        storyId: string;
        stage: string;
      }
    >;
    expect(alerts.length).toBeGreaterThan(0);
    // Who each alert reached, by the filter policies, is who the local sink delivered it to.
    const delivered = new Set(outbox.map((o) => `${o.storyId}|${o.stage}|${o.subscriber}`));
    const shown = new Set(
      alerts.flatMap((a) => a.recipients.map((r) => `${a.storyId}|${a.stage}|${r.subscriber}`)),
    );
    expect([...shown].sort()).toEqual([...delivered].sort());
    for (const alert of alerts) expect(alert.why.length).toBeGreaterThan(10);
    const text = JSON.stringify(alerts);
    for (const record of outbox) expect(text).not.toContain(record.endpoint);
    expect(text).toMatch(/"endpoint":"[a-z]\*\*\*@/);
  });
});

describe("npm run history -- --stories with filters", () => {
  it("shows stories with their outlets, narrowed by entity, text and time", async () => {
    const everything = rows((await history("--data", dataDir, "--json", "--stories")).stdout);
    const stories = everything as Array<Row & { outlets: string[]; title: string; alerts: unknown[] }>;
    expect(stories.length).toBe(new Set(stored.map((s) => s.storyId)).size);
    const names = new Set(loadDemoCatalog().feeds.map((f) => f.name));
    for (const story of stories)
      for (const outlet of story.outlets) expect(names.has(outlet), outlet).toBe(true);
    expect(stories.some((s) => s.outlets.length > 1)).toBe(true);

    const filtered = await history(
      "--data",
      dataDir,
      "--json",
      "--stories",
      "--entity",
      "treaty",
      "--grep",
      "vetoes",
    );
    const narrowed = rows(filtered.stdout) as Array<Row & { title: string; id: string }>;
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.length).toBeLessThan(stories.length);
    for (const story of narrowed) expect(story.title.toLowerCase()).toContain("vetoes");

    const none = await history("--data", dataDir, "--json", "--since", "1s");
    // Everything was stored more than a second ago.
    expect(rows(none.stdout).filter((r) => r.type === "match")).toEqual([]);
  }, 300_000);
});
