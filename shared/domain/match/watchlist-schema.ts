// The watch-list document, described once: this zod schema validates the bundled list and a
// user's config, and its inferred types are the ones the matcher compiles.
import { z } from "zod";

/** Words and phrases as a user writes them; alias syntax in watchlist.ts. */
const Phrase = z.string().trim().min(1).max(200);
const Phrases = z.array(Phrase);

const EntityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "use letters, digits, '-', '_' or '.'");

export const EntitySideSchema = z.enum(["russia", "dprk", "topic"]);

/**
 * One thing the matcher looks for. Alias syntax (case, ё/е, hyphens and spaces don't matter):
 * - `{a,b,}` expands to alternatives, e.g. `северн{ая,ой,ую} коре{я,и,ю}`;
 * - a trailing `*` admits up to five more letters of the same script (Russian case endings:
 *   `путин*` finds Путина, Путину; English plurals: `missile*`);
 * - Korean aliases always admit a following particle (김정은이, 러시아와, 평양서) but not other
 *   syllables (러시아워 is rush hour, 평양냉면 a dish).
 */
export const WatchEntitySchema = z
  .object({
    /** Canonical id used in alerts and filter policies, e.g. "putin". */
    id: EntityId,
    label: z.string().min(1).max(100),
    side: EntitySideSchema,
    /**
     * 0..1: what one mention says. Side entities under 0.6 (the war in Ukraine standing in for
     * Russia) only count next to a high-severity topic such as troops or missiles.
     */
    weight: z.number().min(0).max(1),
    aliases: Phrases,
    /** Topic entities whose presence makes a relevant item high severity. */
    severity: z.enum(["normal", "high"]).optional(),
    /** The severity holds only when one of these entities is also in the item. */
    severityWith: z.array(EntityId).optional(),
    /** The alias names both parties at once (북러, российско-северокорейский). */
    pair: z.boolean().optional(),
    /** Mentions are ignored when the item also contains one of these (Moscow → Idaho). */
    notWith: Phrases.optional(),
    /**
     * Mentions count only when the item also contains one of these: "the North" is North Korea in
     * a story that names Seoul, and the Union side of the Civil War elsewhere.
     */
    onlyWith: Phrases.optional(),
    /**
     * The alias names the side as the target of someone else's policy (대북 제재, 대러 수출통제):
     * two such targets side by side are one actor's two policies, not a relation between them.
     */
    target: z.boolean().optional(),
  })
  .strict();

/** The cue and foil lists beside the entities; every one optional in a config. */
const Lists = {
  /** Phrases containing an alias that mean something else (Moscow Mule, White Russian). */
  falseFriends: Phrases,
  /** Words showing that the two sides are merely listed or ranked together, not related. */
  listCues: Phrases,
  /**
   * Words marking an item that strings separate stories together (a weather roundup, a news brief,
   * a digest, a threat list): relevant only when one segment itself relates the two sides.
   */
  roundupCues: Phrases,
  /**
   * Leaders of other countries: "Trump will meet Putin and Kim" is a third party's dealings with
   * each of them, not theirs with each other.
   */
  thirdParties: Phrases,
};

export const WatchListSchema = z
  .object({
    entities: z.array(WatchEntitySchema),
    falseFriends: Lists.falseFriends,
    listCues: Lists.listCues,
    roundupCues: Lists.roundupCues.optional(),
    thirdParties: Lists.thirdParties.optional(),
  })
  .strict();

export type WatchEntity = z.infer<typeof WatchEntitySchema>;
export type WatchList = z.infer<typeof WatchListSchema>;

/**
 * One entity as a user writes it in the config: the same fields, all optional but the id (a known
 * id keeps the default's side, label and weight unless given).
 */
export const WatchListEntityConfigSchema = WatchEntitySchema.partial()
  .extend({ id: EntityId, aliases: Phrases.default([]) })
  .strict();

/** `extend` adds to the bundled watch list (same id: aliases added, fields overridden); `replace` swaps it. */
export const WatchListConfigSchema = z
  .object({
    mode: z.enum(["extend", "replace"]).default("extend"),
    entities: z.array(WatchListEntityConfigSchema).default([]),
    falseFriends: Lists.falseFriends.optional(),
    listCues: Lists.listCues.optional(),
    roundupCues: Lists.roundupCues.optional(),
    thirdParties: Lists.thirdParties.optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    w.entities.forEach((entity, i) => {
      if (w.mode === "replace" && !entity.side)
        ctx.addIssue({
          code: "custom",
          path: ["entities", i, "side"],
          message: "a replacing entity needs a side",
        });
      if (w.mode === "replace" && entity.aliases.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["entities", i, "aliases"],
          message: "list at least one alias",
        });
    });
  });

export type WatchListConfig = z.infer<typeof WatchListConfigSchema>;
export type WatchListEntityConfig = z.infer<typeof WatchListEntityConfigSchema>;
