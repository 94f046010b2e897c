import { readFileSync } from "node:fs";
import { type AppConfig, ConfigError, parseConfig } from "./schema.ts";

/**
 * Reads and validates a JSON config file; every failure is a ConfigError naming the file.
 * `placeholders` are replaced in the text first (the local run's `{{demo}}`).
 */
export function loadConfigFile(path: string, placeholders: Record<string, string> = {}): AppConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${path}:`, [(err as Error).message]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(
      Object.entries(placeholders).reduce((t, [name, value]) => t.replaceAll(name, value), text),
    );
  } catch (err) {
    throw new ConfigError(`Config file ${path} is not valid JSON:`, [(err as Error).message]);
  }
  return parseConfig(raw, `config file ${path}`);
}
