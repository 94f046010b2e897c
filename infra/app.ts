// `cdk synth` / `cdk deploy` entry: the deploy reads the same config file as the local run.
//   npx cdk deploy -c config=my.config.json [-c opsEmail=me@example.com]
//   PACT_CONFIG=my.config.json npx cdk deploy
import { App } from "aws-cdk-lib";
import { ConfigError } from "#shared/config/schema.ts";
import {
  CONFIG_CONTEXT_KEY,
  loadDeployConfig,
  OPS_EMAIL_CONTEXT_KEY,
  resolveConfigPath,
  resolveOpsEmail,
} from "./config.ts";
import { definePactWatch } from "./define-app.ts";

const app = new App();
try {
  const { config } = loadDeployConfig(resolveConfigPath(app.node.tryGetContext(CONFIG_CONTEXT_KEY)));
  const opsEmail = resolveOpsEmail(app.node.tryGetContext(OPS_EMAIL_CONTEXT_KEY));
  definePactWatch(app, { config, opsEmail });
} catch (err) {
  // A config mistake is the user's to fix: say what it is, without a stack trace.
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
