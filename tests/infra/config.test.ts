// The deploy reads the local run's config: where it comes from, what the deploy adds to the
// schema's checks, and that a bad file stops `cdk synth` with the reason and nothing else.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import {
  CONFIG_ENV_VAR,
  contextTypos,
  DEFAULT_CONFIG_PATH,
  EXAMPLE_CONFIG_PATH,
  filterPolicyComplexity,
  loadDeployConfig,
  pollingRate,
  pollTimeout,
  resolveConfigPath,
  resolveDashboard,
  resolveOpsEmail,
} from "#infra/config.ts";
import { definePactWatch, SYNTH_ONLY_RULE_ID } from "#infra/define-app.ts";
import { placeholderProblems } from "#shared/config/placeholders.ts";
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

const minimal = { feeds: [{ id: "a", url: "https://agency-a.test/rss" }] };

describe("resolveConfigPath", () => {
  it("prefers -c config=… over PACT_CONFIG over pact-watch.config.json, and says which it took", () => {
    const withDefault = mkdtempSync(join(scratch, "with-default-"));
    writeFileSync(join(withDefault, DEFAULT_CONFIG_PATH), "{}");
    const env = { [CONFIG_ENV_VAR]: "from-env.json" };
    expect(resolveConfigPath("from-context.json", env, withDefault)).toEqual({
      path: resolve(withDefault, "from-context.json"),
      from: "-c config=",
    });
    expect(resolveConfigPath(undefined, env, withDefault)).toEqual({
      path: resolve(withDefault, "from-env.json"),
      from: CONFIG_ENV_VAR,
    });
    expect(resolveConfigPath("  ", { [CONFIG_ENV_VAR]: " " }, withDefault).path).toBe(
      resolve(withDefault, DEFAULT_CONFIG_PATH),
    );
  });

  it("never falls back to the example for a deploy; a synth-only check may use it", () => {
    const empty = mkdtempSync(join(scratch, "no-default-"));
    expect(() => resolveConfigPath(undefined, {}, empty)).toThrow(ConfigError);
    expect(() => resolveConfigPath(undefined, {}, empty)).toThrow(
      /No config file to deploy[\s\S]*-c config=/,
    );
    expect(resolveConfigPath(undefined, {}, empty, { synthOnly: true }).path).toBe(
      resolve(empty, EXAMPLE_CONFIG_PATH),
    );
  });
});

describe("contextTypos", () => {
  it("names a misspelt key and the key it meant", () => {
    expect(contextTypos(["conifg"])).toEqual(["-c conifg=…: unknown context key; did you mean -c config=…?"]);
    expect(contextTypos(["Config", "confg", "opsEmial", "synthonly", "dashbord"])).toHaveLength(5);
  });

  it("leaves known keys and CDK's own context alone", () => {
    expect(
      contextTypos([
        "config",
        "opsEmail",
        "synthOnly",
        "dashboard",
        "cli-telemetry",
        "aws:cdk:bundling-stacks",
        "@aws-cdk/core:newStyleStackSynthesis",
      ]),
    ).toEqual([]);
  });
});

describe("resolveDashboard", () => {
  it("is off unless -c dashboard=true", () => {
    expect(resolveDashboard(undefined)).toBe(false);
    expect(resolveDashboard("false")).toBe(false);
    expect(resolveDashboard("true")).toBe(true);
    expect(resolveDashboard(" TRUE ")).toBe(true);
    expect(resolveDashboard(true)).toBe(true);
  });

  it("refuses anything but true or false, rather than guessing", () => {
    expect(() => resolveDashboard("yes")).toThrow(ConfigError);
    expect(() => resolveDashboard("")).toThrow(/-c dashboard=: expected true or false/);
  });
});

describe("loadDeployConfig", () => {
  it("refuses the untouched example config: its subscribers are placeholders", () => {
    const path = join(projectRoot, EXAMPLE_CONFIG_PATH);
    expect(() => loadDeployConfig(path)).toThrow(ConfigError);
    expect(() => loadDeployConfig(path)).toThrow(/subscribers\.0\.endpoint: .* is a placeholder/);
    // Synth-only checks read it whole: real feeds, placeholder subscribers.
    const { config } = loadDeployConfig(path, { allowPlaceholders: true });
    expect(config.subscribers.map((s) => s.protocol).sort()).toEqual(["email", "sms"]);
  });

  it("ships an example of real sources in English, Russian and Korean, with news searches in each", () => {
    const { config } = loadDeployConfig(join(projectRoot, EXAMPLE_CONFIG_PATH), { allowPlaceholders: true });
    const plain = config.feeds.filter((feed) => !feed.url.startsWith("https://news.google.com/"));
    expect(plain.length).toBeGreaterThanOrEqual(12);
    for (const language of ["en", "ru", "ko"]) {
      expect(plain.filter((feed) => feed.language === language).length, language).toBeGreaterThanOrEqual(3);
      const search = config.feeds.filter(
        (feed) => feed.language === language && feed.url.startsWith("https://news.google.com/rss/search?"),
      );
      expect(search.length, `${language} news search`).toBeGreaterThanOrEqual(1);
      for (const feed of search) {
        const url = new URL(feed.url);
        expect(url.searchParams.get("hl")?.startsWith(language)).toBe(true);
        expect(url.searchParams.get("q")).toBeTruthy();
        expect(url.searchParams.get("ceid")).toMatch(/^[A-Z]{2}:[a-z]{2}$/);
      }
    }
    // Official sources confirm a story on their own: both governments' foreign policy voices.
    expect(
      config.feeds
        .filter((feed) => feed.official)
        .map((feed) => feed.language)
        .sort(),
    ).toEqual(expect.arrayContaining(["ko", "ru"]));
    // No placeholder feed, and every subscriber is one (the deploy then says to replace them).
    expect(placeholderProblems(config).every((p) => p.startsWith("subscribers."))).toBe(true);
    expect(placeholderProblems(config)).toHaveLength(config.subscribers.length);
    expect(config.subscribers.every((s) => s.id.startsWith("REPLACE-ME"))).toBe(true);
  });

  it("refuses example.com/.org/.net addresses and URLs and 555-01xx numbers, each by path", () => {
    const path = writeConfig("placeholders.json", {
      feeds: [
        { id: "fine", url: "https://agency-a.test/rss" },
        { id: "doc", url: "https://feeds.example.org/rss" },
      ],
      subscribers: [
        { id: "a", protocol: "email", endpoint: "me@example.com" },
        { id: "b", protocol: "email", endpoint: "me@mail.example.net" },
        { id: "c", protocol: "sms", endpoint: "+12025550142" },
        { id: "real", protocol: "email", endpoint: "me@newsroom.test" },
        { id: "real-sms", protocol: "sms", endpoint: "+12025550242" },
      ],
    });
    const message = (() => {
      try {
        loadDeployConfig(path);
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/subscribers\.0\.endpoint: "me@example\.com" \(a\) is a placeholder/);
    expect(message).toMatch(/subscribers\.1\.endpoint/);
    expect(message).toMatch(/subscribers\.2\.endpoint: "\+12025550142"/);
    expect(message).toMatch(/feeds\.1\.url: "https:\/\/feeds\.example\.org\/rss"/);
    expect(message).not.toMatch(/subscribers\.[34]|feeds\.0/);
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

  it("rejects an interval shorter than the poll worker's timeout plus margin: polls would overlap", () => {
    const path = writeConfig("overlapping.json", { ...minimal, polling: { every: "1 minute" } });
    const attempt = () => loadDeployConfig(path);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /polling\.every: "1 minute" is shorter than the poll worker's timeout \(270 s.*poll every 5 minutes or more, or lower polling\.deadlineSeconds/,
    );
    const fits = writeConfig("fits.json", {
      ...minimal,
      polling: { every: "1 minute", deadlineSeconds: 5, timeoutSeconds: 5 },
    });
    expect(loadDeployConfig(fits).config.polling.every).toBe("1 minute");
  });

  it("rejects a subscriber whose filter policy SNS would refuse at deploy time", () => {
    const entities = Array.from({ length: 16 }, (_, i) => `entity-${i}`);
    const languages = ["en", "ru", "ko", "ja", "zh"];
    const path = writeConfig("too-many-combinations.json", {
      ...minimal,
      subscribers: [
        { id: "fine", protocol: "email", endpoint: "fine@newsroom.test", entities: ["treaty"] },
        { id: "greedy", protocol: "email", endpoint: "greedy@newsroom.test", entities, languages },
      ],
    });
    expect(() => loadDeployConfig(path)).toThrow(
      /subscribers\.1: its filter policy has \d+ value combinations/,
    );
    expect(() => loadDeployConfig(path)).not.toThrow(/subscribers\.0/);
  });

  it("refuses feed URLs a deployed poller must not reach: metadata, loopback, private, CGNAT, IPv6 forms", () => {
    const urls = [
      "http://169.254.169.254/latest/meta-data/",
      "http://127.0.0.1:9001/",
      "http://localhost/",
      "http://[::1]/rss",
      "http://[::ffff:10.0.0.1]/rss",
      "http://[::ffff:127.0.0.1]/rss",
      "http://[fe80::1]/rss",
      "http://[fc00::1]/rss",
      "http://100.64.1.1/rss",
      "http://2130706433/",
    ];
    const path = writeConfig("non-public.json", {
      feeds: [
        { id: "public", url: "https://www.nknews.org/feed/" },
        ...urls.map((url, i) => ({ id: `f${i}`, url })),
      ],
    });
    const message = (() => {
      try {
        loadDeployConfig(path);
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    })();
    urls.forEach((_, i) => {
      expect(message).toMatch(new RegExp(`feeds\\.${i + 1}\\.url: .*public addresses only`));
    });
    expect(message).not.toMatch(/feeds\.0\.url/);
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
    expect(resolveOpsEmail("ops@newsroom.test", { PACT_OPS_EMAIL: "env@newsroom.test" })).toBe(
      "ops@newsroom.test",
    );
    expect(resolveOpsEmail(undefined, { PACT_OPS_EMAIL: "env@newsroom.test" })).toBe("env@newsroom.test");
    expect(resolveOpsEmail(undefined, {})).toBeUndefined();
  });

  it("rejects something that is not an address, and a placeholder one for a deploy", () => {
    expect(() => resolveOpsEmail("ops-at-example", {})).toThrow(ConfigError);
    expect(() => resolveOpsEmail("ops@example.com", {})).toThrow(/placeholder/);
    expect(resolveOpsEmail("ops@example.com", {}, { allowPlaceholders: true })).toBe("ops@example.com");
  });
});

/** A whole synth in a child process: about 15 s alone, several times that on a busy 2-core machine. */
const APP_RUN_TIMEOUT_MS = 180_000;

/** Runs `infra/app.ts` as `cdk synth` would (context as CDK_CONTEXT_JSON), bundling skipped. */
async function runApp(
  context: Record<string, unknown>,
  env: Record<string, string> = {},
  cwd = projectRoot,
): Promise<{ code: number; stderr: string }> {
  return run(join(projectRoot, "node_modules/.bin/tsx"), [join(projectRoot, "infra/app.ts")], {
    cwd,
    env: {
      PATH: process.env.PATH,
      CDK_OUTDIR: mkdtempSync(join(scratch, "cdk.out-")),
      CDK_CONTEXT_JSON: JSON.stringify({ "aws:cdk:bundling-stacks": [], ...context }),
      ...env,
    },
    timeout: APP_RUN_TIMEOUT_MS,
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  );
}

describe("cdk app entry point: which config", { timeout: APP_RUN_TIMEOUT_MS }, () => {
  it("stops on -c conifg=… instead of deploying anything else", async () => {
    const { code, stderr } = await runApp({ conifg: TEST_CONFIG_PATH }, {}, scratch);
    expect(code).toBe(1);
    expect(stderr).toContain("-c conifg=…: unknown context key; did you mean -c config=…?");
  });

  it("stops when no config is given and pact-watch.config.json does not exist", async () => {
    const { code, stderr } = await runApp({}, {}, mkdtempSync(join(scratch, "empty-")));
    expect(code).toBe(1);
    expect(stderr).toContain("No config file to deploy");
  });

  it("refuses the untouched example with the placeholders named", async () => {
    const { code, stderr } = await runApp({ config: join(projectRoot, EXAMPLE_CONFIG_PATH) });
    expect(code).toBe(1);
    expect(stderr).toMatch(/subscribers\.0\.endpoint: "[^"]+@example\.com" .* is a placeholder/);
    expect(stderr).toMatch(/subscribers\.1\.endpoint: "\+1\d{3}55501\d\d" .* is a placeholder/);
  });

  it("says which file it used", async () => {
    const { code, stderr } = await runApp({ config: TEST_CONFIG_PATH });
    expect(code).toBe(0);
    expect(stderr).toContain(
      `pact-watch: config ${TEST_CONFIG_PATH} (from -c config=): 3 feeds, 3 subscribers`,
    );
  });
});

describe(".gitignore", () => {
  it("ignores every *.config.json but the example and the repo's own test and demo configs", async () => {
    const ignored = async (path: string) =>
      run("git", ["check-ignore", "-q", "--no-index", path], { cwd: projectRoot }).then(
        () => true,
        () => false,
      );
    for (const path of [
      "pact-watch.config.json",
      "my.config.json",
      "infra/my.config.json",
      "x/y.config.json",
    ]) {
      expect(await ignored(path), path).toBe(true);
    }
    for (const path of [
      EXAMPLE_CONFIG_PATH,
      "tests/fixtures/infra.config.json",
      "shared/demo-feeds/hostile.config.json",
    ]) {
      expect(await ignored(path), path).toBe(false);
    }
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

describe("synth-only template", () => {
  it("carries a rule that always fails, so CloudFormation refuses to deploy it; a real one has none", () => {
    const templateOf = (synthOnly: boolean) => {
      const app = new App({
        outdir: mkdtempSync(join(scratch, "rule-")),
        context: { "aws:cdk:bundling-stacks": [] },
      });
      const { config } = loadDeployConfig(join(projectRoot, EXAMPLE_CONFIG_PATH), {
        allowPlaceholders: true,
      });
      return Template.fromStack(definePactWatch(app, { config, nag: false, synthOnly })).toJSON();
    };
    const checked = templateOf(true).Rules?.[SYNTH_ONLY_RULE_ID];
    expect(checked?.Assertions).toEqual([
      {
        Assert: { "Fn::Equals": ["synth-only", "deployable"] },
        AssertDescription: expect.stringContaining("synthOnly=true"),
      },
    ]);
    expect(templateOf(false).Rules?.[SYNTH_ONLY_RULE_ID]).toBeUndefined();
  });
});
