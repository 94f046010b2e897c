// Cold-start wiring shared by the Lambda handlers: environment read once and validated, the bundled
// config loaded once. A missing variable fails the cold start with a message naming it.
import { isAbsolute, resolve } from "node:path";
import { getStringFromEnv } from "@aws-lambda-powertools/commons/utils/env";
import { type FunctionConfig, loadFunctionConfig } from "../config/function-config.ts";

export function requireEnv(key: string): string {
  return getStringFromEnv({
    key,
    errorMessage: `Environment variable ${key} is required (set by the CDK stack)`,
  });
}

/**
 * The config bundled next to the handler (APP_CONFIG_PATH, relative to the task root): the app
 * config with only the subscribers this function routes for, and none of their endpoints.
 */
export function loadBundledConfig(): FunctionConfig {
  const configured = getStringFromEnv({ key: "APP_CONFIG_PATH", defaultValue: "app-config.json" });
  const path = isAbsolute(configured)
    ? configured
    : resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), configured);
  return loadFunctionConfig(path);
}
