// What the bundles promise: each function ships as one minified ESM file and the validated config
// beside it, nothing else (its source map stays in the cloud assembly), and it loads in plain
// Node.js (CommonJS dependencies included).
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { APP_CONFIG_FILE, SOURCE_MAP_DIR, sourceMapFileName } from "#infra/constructs/pipeline-function.ts";
import { type FunctionRole, functionConfigFor } from "#shared/config/function-config.ts";
import { logicalIdOf, propertiesOf, resourcesOfType, synthTemplate } from "./synth.ts";

const run = promisify(execFile);

// One synth with real esbuild bundling for the whole file (a few seconds).
const synthesized = synthTemplate({ bundle: true });
const { template, stack, config, outdir } = synthesized;
afterAll(() => synthesized.dispose());

const functions = resourcesOfType(template, "AWS::Lambda::Function");
const ROLES: Record<string, FunctionRole> = {
  DispatchFeeds: "poll",
  PollFeeds: "poll",
  NotifySubscribers: "notify",
  SendDigest: "digest",
};
function roleOf(constructId: string): FunctionRole {
  const role = ROLES[constructId];
  if (!role) throw new Error(`No bundled-config role for ${constructId}`);
  return role;
}
const bundles = stack.pipeline.functions.map((fn) => {
  const code = propertiesOf(functions, logicalIdOf(stack, fn)).Code as { S3Key: string };
  const assetHash = code.S3Key.replace(/\.zip$/, "");
  return { path: fn.node.path, directory: join(outdir, `asset.${assetHash}`), role: roleOf(fn.node.id) };
});

/** Generous ceiling: a bundle past it has pulled in something it should not. */
const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

describe("bundled subscribers", () => {
  it("the dispatcher and poller have none; the notifier those taking alerts; the digest its email readers", () => {
    const ids = (role: FunctionRole) => functionConfigFor(config, role).subscribers.map((s) => s.id);
    expect(ids("poll")).toEqual([]);
    expect(ids("notify")).toEqual(["desk-email", "editor-email", "duty-sms"]);
    expect(ids("digest")).toEqual(["editor-email"]);
    expect(bundles.map((b) => b.role).sort()).toEqual(["digest", "notify", "poll", "poll"]);
  });
});

describe("template", () => {
  it("names a subscriber endpoint only in that subscriber's SNS subscription", () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: unknown }>;
    for (const [id, resource] of Object.entries(resources)) {
      const text = JSON.stringify(resource.Properties ?? {});
      const named = config.subscribers.filter((s) => text.includes(s.endpoint));
      if (resource.Type === "AWS::SNS::Subscription") expect(named.length, id).toBeLessThanOrEqual(1);
      else
        expect(
          named.map((s) => s.id),
          id,
        ).toEqual([]);
    }
  });
});

describe.each(bundles)("$path bundle", ({ path, directory, role }) => {
  const entry = join(directory, "index.mjs");

  it("is one minified ESM file and its config, the source map kept out of the zip", () => {
    const code = readFileSync(entry, "utf8");
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
    // Minified: long lines, not one statement per line (template literals keep a few newlines).
    expect(code.length / code.split("\n").length).toBeGreaterThan(1000);
    expect(readdirSync(directory).sort()).toEqual([APP_CONFIG_FILE, "index.mjs"]);
    expect(code).not.toMatch(/sourceMappingURL/);
    expect(statSync(entry).size).toBeLessThan(MAX_BUNDLE_BYTES);
  });

  it("has its source map in the cloud assembly, mapping back to the TypeScript sources", () => {
    const map = JSON.parse(readFileSync(join(outdir, SOURCE_MAP_DIR, sourceMapFileName(path)), "utf8"));
    expect(map.version).toBe(3);
    expect(map.sources.some((source: string) => source.endsWith("handler.ts"))).toBe(true);
    expect(map.sourcesContent ?? []).toEqual([]);
  });

  it("gives CommonJS dependencies a require()", () => {
    expect(readFileSync(entry, "utf8").split("\n")[0]).toMatch(/^import\s*\{\s*createRequire\b.*require\s*=/);
  });

  it("carries the validated config, defaults filled in, with only the subscribers it routes for", () => {
    const bundled = JSON.parse(readFileSync(join(directory, APP_CONFIG_FILE), "utf8"));
    expect(bundled).toEqual(functionConfigFor(config, role));
    expect(bundled.feeds).toEqual(config.feeds);
  });

  it("holds no subscriber endpoint in any file", () => {
    for (const file of readdirSync(directory)) {
      const text = readFileSync(join(directory, file), "utf8");
      for (const subscriber of config.subscribers) {
        expect(text.includes(subscriber.endpoint), `${file} holds ${subscriber.id}'s endpoint`).toBe(false);
      }
    }
  });

  it("loads in Node.js and exports a handler function", async () => {
    // Module scope builds SDK clients and reads env and the config file; nothing touches the network.
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(entry).href)}); console.log(typeof m.handler);`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", probe], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-east-1",
        TABLE_NAME: "pact-watch-test",
        TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:pact-watch-test",
        QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/pact-watch-test",
        APP_CONFIG_PATH: join(directory, APP_CONFIG_FILE),
        POWERTOOLS_SERVICE_NAME: "bundle-test",
        POWERTOOLS_METRICS_NAMESPACE: "PactWatchTest",
        POWERTOOLS_DEV: "true",
      },
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe("function");
  });
});
