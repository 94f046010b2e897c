// The matcher's public face: build once per cold start, then call `match` per item.
import type { Matcher } from "../types.ts";
import { compileWatchList, createEngine } from "./engine.ts";
import { defaultWatchList, type WatchList } from "./watchlist.ts";

export { normalizeText } from "./normalize.ts";
export { splitSentences } from "./sentences.ts";
export type { WatchEntity, WatchList } from "./watchlist.ts";
export { defaultWatchList, resolveWatchList } from "./watchlist.ts";

/** Compiles the watch list into one automaton (a few milliseconds); `match` is then cheap per item. */
export function createMatcher(watchList: WatchList = defaultWatchList): Matcher {
  return createEngine(compileWatchList(watchList));
}
