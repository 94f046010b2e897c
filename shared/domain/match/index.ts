// The matcher's public face: build once per cold start, then call `match` per item.
import type { Matcher } from "../types.ts";
import { defaultWatchList, type WatchList } from "../watchlist/index.ts";
import { compileWatchList, createEngine } from "./engine.ts";

export type { WatchEntity, WatchList } from "../watchlist/index.ts";
export { defaultWatchList, resolveWatchList } from "../watchlist/index.ts";
export { normalizeText } from "./normalize.ts";
export { splitSentences } from "./sentences.ts";

/** Compiles the watch list into one automaton (a few milliseconds); `match` is then cheap per item. */
export function createMatcher(watchList: WatchList = defaultWatchList): Matcher {
  return createEngine(compileWatchList(watchList));
}
