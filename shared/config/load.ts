import { readFileSync, statSync } from "node:fs";
import { issueLines } from "../domain/validation.ts";
import {
  type AppConfig,
  ConfigError,
  parseConfig,
  type WatchListConfig,
  WatchListConfigSchema,
} from "./schema.ts";

/**
 * A config holds feeds, subscribers and at most a watch list: 2 MiB is over twenty times the
 * bundled watch list with thousands of feeds. Anything larger is a mistake or an attack, refused
 * before it is read.
 */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/**
 * Reads and validates a JSON config file; every failure is a ConfigError naming the file.
 * `placeholders` are replaced in the text first (the local run's `{{demo}}`).
 */
export function loadConfigFile(path: string, placeholders: Record<string, string> = {}): AppConfig {
  return parseConfig(readJson(path, "config file", placeholders), `config file ${path}`);
}

/**
 * A whole watch-list document (the format of the bundled russia-dprk.json) as the config's
 * `watchlist` in mode "replace": how `npm run eval` and `npm run backtest` take `--watchlist FILE`.
 */
export function loadWatchListFile(path: string): WatchListConfig {
  const raw = readJson(path, "watch-list file");
  const result = WatchListConfigSchema.safeParse({ ...(raw as object), mode: "replace" });
  if (result.success) return result.data;
  throw new ConfigError(`Invalid watch-list file ${path}:`, issueLines(result.error));
}

/** Reads a JSON file the project is given (at most MAX_CONFIG_BYTES); errors name the file. */
export function readJson(path: string, what: string, placeholders: Record<string, string> = {}): unknown {
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_CONFIG_BYTES) {
      throw new ConfigError(`${what[0]?.toUpperCase()}${what.slice(1)} ${path} is too large:`, [
        `${bytes} bytes; at most ${MAX_CONFIG_BYTES} are read`,
      ]);
    }
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`Cannot read ${what} ${path}:`, [(err as Error).message]);
  }
  try {
    return JSON.parse(
      Object.entries(placeholders).reduce((t, [name, value]) => t.replaceAll(name, value), text),
    );
  } catch (err) {
    throw new ConfigError(`${what[0]?.toUpperCase()}${what.slice(1)} ${path} is not valid JSON:`, [
      (err as Error).message,
    ]);
  }
}
