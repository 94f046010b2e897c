// The watch-list document, described once: this zod schema validates the bundled document
// (russia-dprk.json), a document a config brings, and a config's extension; its inferred types are
// the ones the matcher and story grouping compile. Nothing in it is specific to one story: the two
// sides are declared by the document, and entities name their side by its id.
import * as z from "zod";
import { issueLines } from "../validation.ts";
import { LexiconSchema } from "./lexicon-schema.ts";

/** Words and phrases as a user writes them; alias syntax on WatchEntitySchema. */
const Phrase = z.string().trim().min(1).max(200);
const Phrases = z.array(Phrase);
const Comment = z.string().optional();

const EntityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "use letters, digits, '-', '_' or '.'");

/** The side of a topic entity: the vocabulary that relates the two parties, neither of them. */
export const TOPIC_SIDE = "topic";

/** One party of the relationship, e.g. `{ "id": "russia", "label": "Russia" }`. */
export const SideSchema = z.object({ id: EntityId, label: z.string().min(1).max(100) }).strict();

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
    $comment: Comment,
    /** Canonical id used in alerts and filter policies, e.g. "putin". */
    id: EntityId,
    label: z.string().min(1).max(100),
    /** The id of one of the document's two sides, or "topic". */
    side: EntityId,
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

/** How alerts name the story: the subject tag, the digest's title, the pair when no one more specific acts. */
export const StoryMetaSchema = z
  .object({
    /** "Russia-North Korea partnership": the digest's title and the unsubscribe footer. */
    name: z.string().min(1).max(80),
    /** "RU-DPRK": the bracketed tag that opens every subject line and SMS. ASCII, short. */
    tag: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,15}$/, "2 to 16 capitals, digits or '-'"),
    /** "Russia and North Korea": who acted when a report names no one more specific. */
    pairLabel: z.string().min(1).max(80),
  })
  .strict();

/** The cue and foil lists beside the entities. */
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

/**
 * Topics that make an item the pair's business by themselves, so that a backdrop clause beside them
 * is part of the story ("North Korean troops sent since the summit" went to Russia): every entity of
 * `topics` in one sentence; in a headline only when `inHeadline` (its troops are often a drill).
 */
export const BackdropCarrierSchema = z
  .object({ $comment: Comment, topics: z.array(EntityId).min(1), inHeadline: z.boolean() })
  .strict();

/** Every entity names a declared side, ids are unique, severityWith and carriers name known entities. */
function checkReferences(
  doc: {
    sides: { id: string }[];
    entities: { id: string; side?: string | undefined; severityWith?: string[] | undefined }[];
    backdropCarriers?: { topics: string[] }[] | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const sides = new Set([...doc.sides.map((side) => side.id), TOPIC_SIDE]);
  if (doc.sides.length === 2 && doc.sides[0]?.id === doc.sides[1]?.id)
    ctx.addIssue({ code: "custom", path: ["sides", 1, "id"], message: "the two sides need different ids" });
  const ids = new Set(doc.entities.map((entity) => entity.id));
  const seen = new Set<string>();
  doc.entities.forEach((entity, i) => {
    if (entity.side !== undefined && !sides.has(entity.side))
      ctx.addIssue({
        code: "custom",
        path: ["entities", i, "side"],
        message: `"${entity.side}" is not a side: use ${[...sides].map((s) => `"${s}"`).join(", ")}`,
      });
    if (seen.has(entity.id))
      ctx.addIssue({
        code: "custom",
        path: ["entities", i, "id"],
        message: `"${entity.id}" is listed twice`,
      });
    seen.add(entity.id);
    (entity.severityWith ?? []).forEach((other, k) => {
      if (!ids.has(other))
        ctx.addIssue({
          code: "custom",
          path: ["entities", i, "severityWith", k],
          message: `"${other}" is not an entity of this document`,
        });
    });
  });
  (doc.backdropCarriers ?? []).forEach((carrier, i) => {
    carrier.topics.forEach((topic, k) => {
      if (!ids.has(topic))
        ctx.addIssue({
          code: "custom",
          path: ["backdropCarriers", i, "topics", k],
          message: `"${topic}" is not an entity of this document`,
        });
    });
  });
}

export const WatchListSchema = z
  .object({
    $comment: Comment,
    story: StoryMetaSchema,
    sides: z.tuple([SideSchema, SideSchema]),
    entities: z.array(WatchEntitySchema).min(1),
    falseFriends: Lists.falseFriends.default([]),
    listCues: Lists.listCues.default([]),
    roundupCues: Lists.roundupCues.default([]),
    thirdParties: Lists.thirdParties.default([]),
    backdropCarriers: z.array(BackdropCarrierSchema).default([]),
    lexicon: LexiconSchema.default(LexiconSchema.parse({})),
  })
  .strict()
  .superRefine(checkReferences);

export type WatchEntity = z.infer<typeof WatchEntitySchema>;
export type WatchList = z.infer<typeof WatchListSchema>;
export type WatchSide = z.infer<typeof SideSchema>;
export type StoryMeta = z.infer<typeof StoryMetaSchema>;

/**
 * One entity as a user writes it in the config: the same fields, all optional but the id (a known
 * id keeps the default's side, label and weight unless given; a new one defaults to label = id,
 * weight 0.8).
 */
export const WatchListEntityConfigSchema = WatchEntitySchema.partial()
  .extend({ id: EntityId, aliases: Phrases.default([]) })
  .strict();

/**
 * The config's `watchlist`: `extend` adds to the bundled document (same id: aliases added, fields
 * overridden; lists and lexicon sections appended); `replace` brings a whole document of another
 * story in the same format (sides may be left out when the entities name exactly two).
 */
export const WatchListConfigSchema = z
  .object({
    mode: z.enum(["extend", "replace"]).default("extend"),
    $comment: Comment,
    story: StoryMetaSchema.partial().optional(),
    sides: z.tuple([SideSchema, SideSchema]).optional(),
    entities: z.array(WatchListEntityConfigSchema).default([]),
    falseFriends: Lists.falseFriends.optional(),
    listCues: Lists.listCues.optional(),
    roundupCues: Lists.roundupCues.optional(),
    thirdParties: Lists.thirdParties.optional(),
    backdropCarriers: z.array(BackdropCarrierSchema).optional(),
    lexicon: LexiconSchema.optional(),
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
    if (w.sides) checkReferences({ sides: w.sides, entities: w.entities }, ctx);
  });

export type WatchListConfig = z.infer<typeof WatchListConfigSchema>;
export type WatchListEntityConfig = z.infer<typeof WatchListEntityConfigSchema>;

/** Validates a whole document; the error lists every problem with its path. */
export function parseWatchList(raw: unknown, where = "watch-list document"): WatchList {
  const result = WatchListSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new Error(
    `Invalid ${where}:\n${issueLines(result.error)
      .map((p) => `  - ${p}`)
      .join("\n")}`,
  );
}
