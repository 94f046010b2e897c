// The deploy reads the same JSON config as the local run. What the schema cannot know about AWS
// (a Scheduler rate, a time zone Scheduler accepts, a Lambda timeout ceiling) is checked here, so a
// bad config stops `cdk synth` with a readable message instead of failing half-way through a deploy.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Duration } from "aws-cdk-lib";
import { distance } from "fastest-levenshtein";
import { PUBLIC_ONLY, urlRefusal } from "#shared/adapters/feed/address-policy.ts";
import { loadConfigFile } from "#shared/config/load.ts";
import { DEFAULT_CONFIG_PATH, EXAMPLE_CONFIG_PATH } from "#shared/config/paths.ts";
import { isPlaceholderEmail, placeholderProblems } from "#shared/config/placeholders.ts";
import { type AppConfig, ConfigError } from "#shared/config/schema.ts";
import { intervalProblem, pollWorkerTimeoutSeconds } from "#shared/domain/dispatch.ts";
import { type FilterPolicy, filterPolicyFor } from "#shared/domain/subscriptions.ts";

export { DEFAULT_CONFIG_PATH, EXAMPLE_CONFIG_PATH };
export const CONFIG_CONTEXT_KEY = "config";
export const CONFIG_ENV_VAR = "PACT_CONFIG";
/** `-c synthOnly=true`: check the stack without deploying it (placeholders allowed, deploy blocked). */
export const SYNTH_ONLY_CONTEXT_KEY = "synthOnly";

/** SNS filter policy limits (a policy past them fails the deploy, not the synth). */
const SNS_MAX_FILTER_KEYS = 5;
const SNS_MAX_FILTER_COMBINATIONS = 150;
const SNS_MAX_FILTER_POLICIES_PER_TOPIC = 200;

export interface DeployConfig {
  config: AppConfig;
  /** Absolute path of the file it came from. */
  path: string;
}

export interface ChosenConfig {
  path: string;
  /** How it was chosen, for the line that tells the deployer which file is used. */
  from: string;
}

/**
 * `-c config=path` wins over PACT_CONFIG, which wins over pact-watch.config.json in `cwd`. Nothing
 * else: a deploy never falls back to the example. `synthOnly` checks may use the example.
 */
export function resolveConfigPath(
  contextValue: unknown,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  options: { synthOnly?: boolean } = {},
): ChosenConfig {
  if (typeof contextValue === "string" && contextValue.trim() !== "")
    return { path: resolve(cwd, contextValue.trim()), from: `-c ${CONFIG_CONTEXT_KEY}=` };
  const fromEnv = env[CONFIG_ENV_VAR]?.trim();
  if (fromEnv) return { path: resolve(cwd, fromEnv), from: CONFIG_ENV_VAR };
  const byDefault = resolve(cwd, DEFAULT_CONFIG_PATH);
  if (existsSync(byDefault)) return { path: byDefault, from: "the default path" };
  if (options.synthOnly) return { path: resolve(cwd, EXAMPLE_CONFIG_PATH), from: "the example (synth only)" };
  throw new ConfigError("No config file to deploy:", [
    `pass one with -c ${CONFIG_CONTEXT_KEY}=my.config.json (or ${CONFIG_ENV_VAR}=my.config.json),`,
    `or create ${DEFAULT_CONFIG_PATH} here: cp ${EXAMPLE_CONFIG_PATH} ${DEFAULT_CONFIG_PATH}, then put your own subscribers in it`,
  ]);
}

export interface DeployCheckOptions {
  /** Let placeholder endpoints through (synth-only checks; the template then refuses to deploy). */
  allowPlaceholders?: boolean;
}

/** Loads, validates and checks a config for deployment; every problem is a ConfigError. */
export function loadDeployConfig(path: string, options: DeployCheckOptions = {}): DeployConfig {
  const config = loadConfigFile(path);
  const problems = [
    ...deployProblems(config),
    ...(options.allowPlaceholders ? [] : placeholderProblems(config)),
  ];
  if (problems.length > 0) throw new ConfigError(`Invalid config file ${path}:`, problems);
  return { config, path };
}

function deployProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  // The deployed poller checks again after DNS and at every redirect; a literal is refused here.
  config.feeds.forEach((feed, index) => {
    const refused = urlRefusal(feed.url, PUBLIC_ONLY);
    if (refused) problems.push(`feeds.${index}.url: ${refused}`);
  });
  try {
    pollingRate(config.polling.every);
    // Each lease lasts the worker timeout; a shorter interval would let two polls of a feed overlap.
    const tooShort = intervalProblem(config);
    if (tooShort) problems.push(`polling.every: ${tooShort}`);
  } catch (err) {
    problems.push(`polling.every: ${(err as Error).message}`);
  }
  if (!isTimeZone(config.digest.timeZone)) {
    problems.push(`digest.timeZone: unknown time zone "${config.digest.timeZone}"`);
  }
  if (config.subscribers.length > SNS_MAX_FILTER_POLICIES_PER_TOPIC) {
    problems.push(
      `subscribers: SNS allows ${SNS_MAX_FILTER_POLICIES_PER_TOPIC} filtered subscriptions per topic`,
    );
  }
  config.subscribers.forEach((subscriber, index) => {
    const { keys, combinations } = filterPolicyComplexity(filterPolicyFor(subscriber));
    if (keys > SNS_MAX_FILTER_KEYS) {
      problems.push(
        `subscribers.${index}: its filter policy needs ${keys} keys; SNS allows ${SNS_MAX_FILTER_KEYS}`,
      );
    }
    if (combinations > SNS_MAX_FILTER_COMBINATIONS) {
      problems.push(
        `subscribers.${index}: its filter policy has ${combinations} value combinations; SNS allows ${SNS_MAX_FILTER_COMBINATIONS} (list fewer entities or languages)`,
      );
    }
  });
  return problems;
}

/**
 * Counts a policy the way SNS limits it: keys per branch (the most any branch has), and value
 * combinations (the product of each array's length, summed over the "$or" branches).
 */
export function filterPolicyComplexity(policy: FilterPolicy): { keys: number; combinations: number } {
  const shared = Object.entries(policy).filter(([key]) => key !== "$or");
  const sharedCombinations = shared.reduce((product, [, values]) => product * values.length, 1);
  const branches = (policy.$or ?? []) as FilterPolicy[];
  if (branches.length === 0) return { keys: shared.length, combinations: sharedCombinations };
  const measured = branches.map(filterPolicyComplexity);
  return {
    keys: shared.length + Math.max(...measured.map((branch) => branch.keys)),
    combinations: sharedCombinations * measured.reduce((sum, branch) => sum + branch.combinations, 0),
  };
}

const RATE = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/i;

/** "5 minutes" → 5 minutes. Scheduler rates are whole minutes, one at least. */
export function pollingRate(every: string): Duration {
  const match = RATE.exec(every);
  const amount = Number(match?.[1]);
  const unit = match?.[2]?.toLowerCase();
  if (!match || !unit || !Number.isInteger(amount) || amount < 1) {
    throw new Error(`"${every}" is not a rate like "5 minutes", "1 hour" or "1 day"`);
  }
  if (unit.startsWith("minute")) return Duration.minutes(amount);
  if (unit.startsWith("hour")) return Duration.hours(amount);
  return Duration.days(amount);
}

/**
 * The poller stops starting feeds at its deadline; the feed in flight may still take its full
 * fetch timeout, and the state write a moment more. Past that Lambda would kill it mid-write.
 */
export function pollTimeout(config: AppConfig): Duration {
  return Duration.seconds(pollWorkerTimeoutSeconds(config));
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const OPS_EMAIL_CONTEXT_KEY = "opsEmail";
export const OPS_EMAIL_ENV_VAR = "PACT_OPS_EMAIL";

/** The address alarms go to, from `-c opsEmail=...` or PACT_OPS_EMAIL; none is fine. */
export function resolveOpsEmail(
  contextValue: unknown,
  env: NodeJS.ProcessEnv = process.env,
  options: DeployCheckOptions = {},
): string | undefined {
  const chosen =
    typeof contextValue === "string" && contextValue.trim() !== "" ? contextValue : env[OPS_EMAIL_ENV_VAR];
  const address = chosen?.trim();
  if (!address) return undefined;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
    throw new ConfigError("Invalid alarm address:", [
      `${OPS_EMAIL_CONTEXT_KEY}: "${address}" is not an email address`,
    ]);
  }
  if (isPlaceholderEmail(address) && !options.allowPlaceholders) {
    throw new ConfigError("Invalid alarm address:", [
      `${OPS_EMAIL_CONTEXT_KEY}: "${address}" is a placeholder; give your own address or none`,
    ]);
  }
  return address;
}

export const DASHBOARD_CONTEXT_KEY = "dashboard";

/**
 * Whether to deploy the CloudWatch dashboard (`-c dashboard=true`): a convenience that costs
 * USD 3.00 a month, more than the rest of the stack at 100 feeds; the alarms do not depend on it.
 */
export function resolveDashboard(contextValue: unknown): boolean {
  if (contextValue === undefined || contextValue === true || contextValue === false)
    return contextValue === true;
  const text = String(contextValue).trim().toLowerCase();
  if (text === "true" || text === "false") return text === "true";
  throw new ConfigError("Invalid context:", [
    `-c ${DASHBOARD_CONTEXT_KEY}=${String(contextValue)}: expected true or false`,
  ]);
}

/** The context keys this app reads; anything close to one of them is a typo, not a new setting. */
export const KNOWN_CONTEXT_KEYS = [
  CONFIG_CONTEXT_KEY,
  OPS_EMAIL_CONTEXT_KEY,
  SYNTH_ONLY_CONTEXT_KEY,
  DASHBOARD_CONTEXT_KEY,
];
/** Edits that still make a typo (`conifg`, `confg`, `opsEmial`: two at most), not a different word. */
const TYPO_DISTANCE = 2;

/**
 * Context keys that look like a misspelt known key: `-c conifg=my.json` must stop the deploy, not
 * quietly deploy whatever the default is.
 */
export function contextTypos(keys: Iterable<string>): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (KNOWN_CONTEXT_KEYS.includes(key)) continue;
    const near = KNOWN_CONTEXT_KEYS.find(
      (known) => lower === known.toLowerCase() || distance(lower, known.toLowerCase()) <= TYPO_DISTANCE,
    );
    if (near) problems.push(`-c ${key}=…: unknown context key; did you mean -c ${near}=…?`);
  }
  return problems;
}
