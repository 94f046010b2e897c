// The deploy reads the local run's config: where it comes from, what the deploy adds to the
// schema's checks, and that a bad file stops `cdk synth` with the reason and nothing else.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import {
  CONFIG_ENV_VAR,
  DEFAULT_CONFIG_PATH,
  filterPolicyComplexity,
  loadDeployConfig,
  pollingRate,
  pollTimeout,
  resolveConfigPath,
  resolveOpsEmail,
} from "#infra/config.ts";
import { ConfigError, parseConfig } from "#shared/config/schema.ts";
import { TEST_CONFIG_PATH } from "./synth.ts";

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "pact-watch-config-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeConfig(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const minimal = { feeds: [{ id: "a", url: "https://news.example.com/rss" }] };

describe("resolveConfigPath", () => {
  it("prefers -c config=… over PACT_CONFIG over the example config", () => {
    const env = { [CONFIG_ENV_VAR]: "from-env.json" };
    expect(resolveConfigPath("from-context.json", env, "/repo")).toBe(resolve("/repo", "from-context.json"));
    expect(resolveConfigPath(undefined, env, "/repo")).toBe(resolve("/repo", "from-env.json"));
    expect(resolveConfigPath(undefined, {}, "/repo")).toBe(resolve("/repo", DEFAULT_CONFIG_PATH));
    expect(resolveConfigPath("  ", { [CONFIG_ENV_VAR]: " " }, "/repo")).toBe(
      resolve("/repo", DEFAULT_CONFIG_PATH),
    );
  });
});

describe("loadDeployConfig", () => {
  it("accepts the example config shipped with the repo", () => {
    const { config } = loadDeployConfig(join(projectRoot, DEFAULT_CONFIG_PATH));
    expect(config.feeds.length).toBeGreaterThanOrEqual(2);
    expect(config.subscribers.map((s) => s.protocol).sort()).toEqual(["email", "sms"]);
    expect(config.subscribers.find((s) => s.protocol === "sms")?.minSeverity).toBe("high");
  });

  it("accepts the test config and fills its defaults", () => {
    const { config, path } = loadDeployConfig(TEST_CONFIG_PATH);
    expect(path).toBe(TEST_CONFIG_PATH);
    expect(config.subscribers[0]?.mode).toBe("immediate");
  });

  it("rejects a rate Scheduler cannot run and a time zone it does not know", () => {
    const path = writeConfig("bad-schedule.json", {
      ...minimal,
      polling: { every: "90 seconds" },
      digest: { hour: 7, timeZone: "Mars/Olympus_Mons" },
    });
    const attempt = () => loadDeployConfig(path);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/polling\.every: "90 seconds" is not a rate/);
    expect(attempt).toThrow(/digest\.timeZone: unknown time zone "Mars\/Olympus_Mons"/);
  });

  it("rejects a subscriber whose filter policy SNS would refuse at deploy time", () => {
    const entities = Array.from({ length: 16 }, (_, i) => `entity-${i}`);
    const languages = ["en", "ru", "ko", "ja", "zh"];
    const path = writeConfig("too-many-combinations.json", {
      ...minimal,
      subscribers: [
        { id: "fine", protocol: "email", endpoint: "fine@example.com", entities: ["treaty"] },
        { id: "greedy", protocol: "email", endpoint: "greedy@example.com", entities, languages },
      ],
    });
    expect(() => loadDeployConfig(path)).toThrow(
      /subscribers\.1: its filter policy has \d+ value combinations/,
    );
    expect(() => loadDeployConfig(path)).not.toThrow(/subscribers\.0/);
  });

  it("reports schema problems as the schema words them", () => {
    const path = writeConfig("bad-feed.json", { feeds: [{ id: "a", url: "ftp://x.example/rss" }] });
    expect(() => loadDeployConfig(path)).toThrow(/feeds\.0\.url/);
  });
});

describe("filterPolicyComplexity", () => {
  it("multiplies values within a branch and adds the branches of $or", () => {
    expect(filterPolicyComplexity({ a: ["1", "2"], b: ["x", "y", "z"] })).toEqual({
      keys: 2,
      combinations: 6,
    });
    expect(
      filterPolicyComplexity({
        $or: [
          { a: ["1", "2"], b: ["x"], c: [{ numeric: [">=", 2] }] },
          { a: ["3"], d: ["w", "v"] },
        ],
      }),
    ).toEqual({ keys: 3, combinations: 4 });
  });
});

describe("pollingRate", () => {
  it.each([
    ["1 minute", 60],
    ["5 minutes", 300],
    ["2 hours", 7200],
    ["1 day", 86_400],
  ])("reads %s", (every, seconds) => {
    expect(pollingRate(every).toSeconds()).toBe(seconds);
  });

  it.each(["0 minutes", "5", "five minutes", "1.5 hours", "30 seconds"])("rejects %s", (every) => {
    expect(() => pollingRate(every)).toThrow(/not a rate/);
  });
});

describe("pollTimeout", () => {
  it("covers the deadline plus the slowest feed's timeout, within Lambda's 15 minutes", () => {
    const config = parseConfig({
      feeds: [
        { id: "a", url: "https://a.example/rss" },
        { id: "b", url: "https://b.example/rss", timeoutSeconds: 40 },
      ],
      polling: { deadlineSeconds: 100, timeoutSeconds: 10 },
    });
    expect(pollTimeout(config).toSeconds()).toBeGreaterThanOrEqual(140);
    expect(pollTimeout(config).toSeconds()).toBeLessThan(200);

    const long = parseConfig({ ...minimal, polling: { deadlineSeconds: 840, timeoutSeconds: 60 } });
    expect(pollTimeout(long).toSeconds()).toBe(900);
  });
});

describe("resolveOpsEmail", () => {
  it("takes the context, then PACT_OPS_EMAIL, and allows none", () => {
    expect(resolveOpsEmail("ops@example.com", { PACT_OPS_EMAIL: "env@example.com" })).toBe("ops@example.com");
    expect(resolveOpsEmail(undefined, { PACT_OPS_EMAIL: "env@example.com" })).toBe("env@example.com");
    expect(resolveOpsEmail(undefined, {})).toBeUndefined();
  });

  it("rejects something that is not an address", () => {
    expect(() => resolveOpsEmail("ops-at-example", {})).toThrow(ConfigError);
  });
});

describe("cdk app entry point", () => {
  it("stops with the ConfigError message and no stack trace when the config is bad", async () => {
    const path = writeConfig("bad-entry.json", { feeds: [], subscribers: [{ id: "x", protocol: "fax" }] });
    const attempt = run(join(projectRoot, "node_modules/.bin/tsx"), ["infra/app.ts"], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH,
        [CONFIG_ENV_VAR]: path,
        CDK_OUTDIR: join(scratch, "cdk.out"),
      },
      timeout: 30_000,
    });
    const failure = (await attempt.then(
      () => undefined,
      (err: unknown) => err,
    )) as { code: number; stderr: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`Invalid config file ${path}:`);
    expect(failure?.stderr).toContain("feeds: list at least one feed");
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
