// `cdk synth` / `cdk deploy` entry: the deploy reads the same config file as the local run.
//   npx cdk deploy -c config=my.config.json [-c opsEmail=me@mydomain.org] [-c dashboard=true]
//   PACT_CONFIG=my.config.json npx cdk deploy
//   npx cdk deploy                      (reads pact-watch.config.json, git-ignored)
//   npx cdk synth -c synthOnly=true     (checks the stack; placeholders allowed, template undeployable)
import { App } from "aws-cdk-lib";
import { placeholderProblems } from "#shared/config/placeholders.ts";
import { ConfigError } from "#shared/config/schema.ts";
import {
  CONFIG_CONTEXT_KEY,
  contextTypos,
  DASHBOARD_CONTEXT_KEY,
  loadDeployConfig,
  OPS_EMAIL_CONTEXT_KEY,
  resolveConfigPath,
  resolveDashboard,
  resolveOpsEmail,
  SYNTH_ONLY_CONTEXT_KEY,
} from "./config.ts";
import { definePactWatch } from "./define-app.ts";

const app = new App();
try {
  const typos = contextTypos(Object.keys(app.node.getAllContext()));
  if (typos.length > 0) throw new ConfigError("Unknown context (nothing was synthesized):", typos);
  const synthOnly = String(app.node.tryGetContext(SYNTH_ONLY_CONTEXT_KEY)) === "true";
  const chosen = resolveConfigPath(app.node.tryGetContext(CONFIG_CONTEXT_KEY), process.env, process.cwd(), {
    synthOnly,
  });
  const { config } = loadDeployConfig(chosen.path, { allowPlaceholders: synthOnly });
  const opsEmail = resolveOpsEmail(app.node.tryGetContext(OPS_EMAIL_CONTEXT_KEY), process.env, {
    allowPlaceholders: synthOnly,
  });
  const dashboard = resolveDashboard(app.node.tryGetContext(DASHBOARD_CONTEXT_KEY));
  // stderr: stdout may be the template.
  console.error(
    `pact-watch: config ${chosen.path} (from ${chosen.from}): ${config.feeds.length} feeds, ` +
      `${config.subscribers.length} subscribers${synthOnly ? "; synth only, the template refuses to deploy" : ""}`,
  );
  if (synthOnly) {
    for (const note of placeholderProblems(config)) console.error(`  synth only, let through: ${note}`);
  }
  definePactWatch(app, { config, opsEmail, synthOnly, dashboard });
} catch (err) {
  // A config mistake is the user's to fix: say what it is, without a stack trace.
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
