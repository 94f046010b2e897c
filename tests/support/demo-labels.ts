// The demo feeds' hand-made ground truth, read one way by every test that checks against it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_FEEDS_DIR } from "#shared/adapters/local/demo-feed-server.ts";

/** One labelled demo item; `story` names the development several outlets tell (null: a singleton). */
export interface DemoLabel {
  feed: string;
  guidOrLink: string;
  title: string;
  relevant: boolean;
  story: string | null;
}

export function loadDemoLabels(): DemoLabel[] {
  return JSON.parse(readFileSync(join(DEMO_FEEDS_DIR, "labels.json"), "utf8")).items;
}
