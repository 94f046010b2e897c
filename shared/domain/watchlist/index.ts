// The watch-list document: its schema, the bundled Russia–DPRK document, and how a config extends
// or replaces it. The matcher and story grouping both compile what `resolveWatchList` returns.
export type { Lexicon } from "./lexicon-schema.ts";
export { defaultWatchList, resolveWatchList } from "./resolve.ts";
export {
  parseWatchList,
  type StoryMeta,
  TOPIC_SIDE,
  type WatchEntity,
  type WatchList,
  type WatchListConfig,
  WatchListConfigSchema,
  WatchListSchema,
  type WatchSide,
} from "./schema.ts";
