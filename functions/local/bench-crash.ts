// `npm run bench -- crash [kills] [seed]`: crash consistency of the local run. A clean run over
// half the demo feeds gives the alerts expected; then, round after round on a fresh table of one
// DynamoDB Local (data kept in a dir), the same run is started again and again and killed with
// SIGKILL at seeded random points, as a Lambda dies half-way while DynamoDB lives on, until one run
// completes; rounds go on until `kills` runs died. In every round, every
// alert the clean run sent must have reached its subscriber (lost = 0); an alert sent twice can only
// come from the one window the design leaves open (the sink took it, the ledger never said SENT).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { demoConfig } from "#shared/adapters/local/demo-feed-server.ts";
import { type DynamoDbLocal, startDynamoDbLocal } from "#shared/adapters/local/dynamodb-local.ts";
import { LOCAL_TABLE_NAME } from "./local-pipeline.ts";
import { seededRandom } from "./seeded-random.ts";

const DEFAULT_KILLS = 50;
const DEFAULT_SEED = 13;
/** A claim left by a killed run blocks its rerun this long (the notifier waits for it). */
const LEASE = "2s";
/** Kills land anywhere from the CLI's start to the end of a clean run. */
const EARLIEST_KILL_MS = 300;
/** Demo feeds in the bench's config: half the catalog keeps 50 kills within minutes. */
const FEEDS = 4;

interface OutboxLine {
  subscriber: string;
  storyId: string;
  stage: string;
  kind: string;
  links: string[];
}

interface RunOutcome {
  exitCode: number | null;
  killed: boolean;
  ms: number;
  /** Where the run was when it died: the last phase its output reached. */
  phase: string;
}

export async function benchCrash(args: string[] = []): Promise<Record<string, number>> {
  const kills = Number(args[0] ?? DEFAULT_KILLS);
  const seed = Number(args[1] ?? DEFAULT_SEED);
  if (!Number.isInteger(kills) || kills < 1 || !Number.isInteger(seed)) {
    throw new Error("Usage: npm run bench -- crash [kills ≥ 1] [seed]");
  }
  const random = seededRandom(seed);
  const root = mkdtempSync(join(tmpdir(), "pact-watch-crash-"));
  const databases: DynamoDbLocal[] = [];
  try {
    const config = join(root, "config.json");
    const demo = demoConfig("{{demo}}");
    writeFileSync(config, JSON.stringify({ ...demo, feeds: (demo.feeds as unknown[]).slice(0, FEEDS) }));
    const cleanDb = await startDynamoDbLocal({ dataDir: join(root, "clean", "data") });
    const crashDb = await startDynamoDbLocal({ dataDir: join(root, "crashed-data") });
    databases.push(cleanDb, crashDb);
    console.log(
      `crash bench: ${kills} kills, seed ${seed}, ${FEEDS} demo feeds, lease ${LEASE}, work dir ${root}`,
    );

    const clean = await runCli(join(root, "clean"), config, cleanDb.endpoint);
    if (clean.exitCode !== 0) throw new Error(`the clean run failed (exit ${clean.exitCode})`);
    const expected = readOutbox(join(root, "clean", "outbox.jsonl"));
    console.log(`clean run: ${Math.round(clean.ms)} ms, ${expected.length} messages`);

    // Rounds: a fresh table, then the run killed again and again until one run completes. Each
    // kill so lands while work is left (a completed run would leave later kills nothing to break).
    const phases: Record<string, number> = {};
    const totals = {
      expected: 0,
      delivered: 0,
      duplicated: 0,
      lost: 0,
      digestsExpected: 0,
      digestsDelivered: 0,
    };
    let died = 0;
    let finishedFirst = 0;
    let rounds = 0;
    let lastDir = "";
    while (died < kills) {
      rounds++;
      const dir = join(root, `round-${rounds}`);
      mkdirSync(dir, { recursive: true });
      await crashDb.client
        .send(new DeleteTableCommand({ TableName: LOCAL_TABLE_NAME }))
        .catch(() => undefined);
      for (;;) {
        const at = died < kills ? EARLIEST_KILL_MS + random() * (clean.ms - EARLIEST_KILL_MS) : undefined;
        const run = await runCli(dir, config, crashDb.endpoint, at);
        if (run.killed) {
          died++;
          phases[run.phase] = (phases[run.phase] ?? 0) + 1;
          continue;
        }
        if (run.exitCode !== 0) throw new Error(`a run in round ${rounds} failed (exit ${run.exitCode})`);
        if (at !== undefined) finishedFirst++;
        break;
      }
      const figures = compare(expected, readOutbox(join(dir, "outbox.jsonl")));
      for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += figures[key];
      console.log(
        `  round ${rounds}: ${died} killed so far; this round delivered ${figures.delivered}/${figures.expected}, ` +
          `duplicated ${figures.duplicated}, lost ${figures.lost}`,
      );
      lastDir = dir;
    }
    const before = readOutbox(join(lastDir, "outbox.jsonl")).length;
    const again = await runCli(lastDir, config, crashDb.endpoint);
    const afterAgain = readOutbox(join(lastDir, "outbox.jsonl")).length;

    console.log(`kills by phase: ${JSON.stringify(phases)}`);
    console.log(
      `${died} kills in ${rounds} rounds: alerts expected ${totals.expected}, delivered ${totals.delivered}, ` +
        `duplicated ${totals.duplicated}, lost ${totals.lost}` +
        ` (digests: expected ${totals.digestsExpected}, delivered ${totals.digestsDelivered})`,
    );
    return {
      kills: died,
      rounds,
      runsFinishedBeforeTheirKill: finishedFirst,
      cleanRunMs: Math.round(clean.ms),
      ...totals,
      messagesFromAFurtherRun: afterAgain - before,
      furtherRunExit: again.exitCode ?? -1,
    };
  } finally {
    for (const db of databases) await db.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Alerts are compared per subscriber and stage by the articles they cover (a story's id depends on
 * which report opened it, which a crash may change); an alert counts twice when the same story,
 * stage and subscriber appear twice in the outbox. Digests are counted apart.
 */
function compare(expected: OutboxLine[], delivered: OutboxLine[]) {
  const alerts = (lines: OutboxLine[]) => lines.filter((l) => l.kind !== "digest");
  const covered = (lines: OutboxLine[]) =>
    new Set(alerts(lines).flatMap((l) => l.links.map((link) => `${l.subscriber} ${l.stage} ${link}`)));
  const want = covered(expected);
  const got = covered(delivered);
  const seen = new Map<string, number>();
  for (const l of alerts(delivered)) {
    const key = `${l.subscriber} ${l.storyId} ${l.stage}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return {
    expected: alerts(expected).length,
    delivered: seen.size,
    duplicated: [...seen.values()].reduce((n, count) => n + count - 1, 0),
    lost: [...want].filter((key) => !got.has(key)).length,
    digestsExpected: expected.length - alerts(expected).length,
    digestsDelivered: delivered.length - alerts(delivered).length,
  };
}

function readOutbox(path: string): OutboxLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as OutboxLine];
      } catch {
        // A line cut by the kill: the sink's append did not finish, so the publish did not either.
        return [];
      }
    });
}

/** One `npm start` writing to `dir`'s outbox, killed after `killAfterMs` if given and still running. */
function runCli(dir: string, config: string, dynamodb: string, killAfterMs?: number): Promise<RunOutcome> {
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "functions/local/cli.ts",
      "--config",
      config,
      "--dynamodb",
      dynamodb,
      "--outbox",
      join(dir, "outbox.jsonl"),
      "--lease",
      LEASE,
    ],
    { detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let phase = "start";
  const track = (chunk: Buffer) => {
    const text = chunk.toString();
    if (text.includes("DynamoDB Local  ")) phase = "started";
    if (text.includes("Polling ")) phase = "polling";
    if (/EMAIL to|SMS to/.test(text)) phase = "delivering";
    if (text.includes("Summary")) phase = "summary";
  };
  child.stdout?.on("data", track);
  child.stderr?.on("data", () => undefined);
  return new Promise((resolve) => {
    let killed = false;
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            if (child.exitCode !== null || child.pid === undefined) return;
            killed = true;
            process.kill(-child.pid, "SIGKILL");
          }, killAfterMs);
    child.once("exit", (code) => {
      if (timer) clearTimeout(timer);
      // The group's DynamoDB Local may outlive a CLI that exited by itself after an error.
      if (!killed && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      resolve({ exitCode: code, killed, ms: performance.now() - started, phase });
    });
  });
}
