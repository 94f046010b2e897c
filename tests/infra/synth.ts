// Builds the app the way `cdk synth` does, for assertions. Bundling (esbuild) and cdk-nag are the
// slow parts; a test file asks only for what it checks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { loadDeployConfig } from "#infra/config.ts";
import { definePactWatch } from "#infra/define-app.ts";
import type { PactWatchStack } from "#infra/stacks/pact-watch-stack.ts";
import type { AppConfig } from "#shared/config/schema.ts";

export const TEST_CONFIG_PATH = fileURLToPath(new URL("../fixtures/infra.config.json", import.meta.url));
export const OPS_EMAIL = "ops@newsroom.test";

export interface SynthOptions {
  /** Run esbuild for every function (slow). @default false */
  bundle?: boolean;
  /** Register the cdk-nag AwsSolutions pack. @default false */
  nag?: boolean;
  /** As `-c dashboard=true`. @default false */
  dashboard?: boolean;
}

export interface Synthesized {
  app: App;
  stack: PactWatchStack;
  config: AppConfig;
  outdir: string;
  /** Removes the cloud assembly directory. */
  dispose(): void;
}

/** Builds the app with the test config; call `template()` or `app.synth()` to synthesize. */
export function buildTestApp(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "pact-watch-infra-test-"));
  const app = new App({
    outdir,
    // CDK's schema validation takes longer than everything else here; `npm run synth` runs it.
    builtinCloudFormationValidation: false,
    // An empty list tells the asset code to skip bundling for every stack.
    context: options.bundle ? {} : { "aws:cdk:bundling-stacks": [] },
  });
  const { config } = loadDeployConfig(TEST_CONFIG_PATH);
  const stack = definePactWatch(app, {
    config,
    opsEmail: OPS_EMAIL,
    nag: options.nag ?? false,
    dashboard: options.dashboard ?? false,
  });
  return { app, stack, config, outdir, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** Synthesizes once and returns the stack's template. */
export function synthTemplate(options: SynthOptions = {}): Synthesized & { template: Template } {
  const built = buildTestApp(options);
  return { ...built, template: Template.fromStack(built.stack) };
}

export type Resource = { Type: string; Properties: Record<string, unknown> };

/** Resources of one type, keyed by logical id (Properties always present, possibly empty). */
export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  const found = template.findResources(type) as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  return Object.fromEntries(
    Object.entries(found).map(([id, resource]) => [
      id,
      { ...resource, Properties: resource.Properties ?? {} },
    ]),
  );
}

/** The properties of one resource; throws when the logical id is not among them. */
export function propertiesOf(
  resources: Record<string, Resource>,
  logicalId: string,
): Record<string, unknown> {
  const resource = resources[logicalId];
  if (!resource) throw new Error(`No resource ${logicalId} among ${Object.keys(resources).join(", ")}`);
  return resource.Properties;
}

/** The logical id CloudFormation will see for a construct with a default child. */
export function logicalIdOf(stack: PactWatchStack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as Parameters<PactWatchStack["getLogicalId"]>[0]);
}
