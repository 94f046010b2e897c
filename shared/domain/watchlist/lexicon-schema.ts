// The event lexicon of a watch-list document: who acted, what they did, about what and where, in
// each watched language. Story grouping compiles it (story/lexicon.ts); the matcher never reads it.
import * as z from "zod";

const Comment = z.string().optional();
const Slug = z.string().regex(/^[a-z0-9-]+$/, "use lower-case letters, digits and '-'");
const Stem = z.string().min(1).max(200);

/**
 * Stems per language. A stem starts a word (a Hangul stem may start anywhere: particles are glued
 * to words); a stem ending in a space must be the whole word.
 */
export const StemsSchema = z
  .object({ en: z.array(Stem).default([]), ru: z.array(Stem).default([]), ko: z.array(Stem).default([]) })
  .strict();

const Entry = z
  .object({ $comment: Comment, id: Slug, label: z.string().min(1), stems: StemsSchema })
  .strict();
const IdList = z.object({ $comment: Comment, ids: z.array(z.string().min(1)).default([]) }).strict();

export const ActSchema = Entry.extend({
  /** Acts of one family tell one development (arriving, holding talks, deploying there). */
  family: Slug,
  /**
   * A headline with this act is its own development even when it names an earlier one with it: a
   * captured soldier's death is not his capture.
   */
  distinct: z.boolean().optional(),
}).strict();

export const ActorSchema = Entry.extend({
  /** A country or body outside the pair: its reaction to an event is a development of its own. */
  thirdParty: z.boolean().optional(),
  /** Abbreviations that count only in capitals ("UN": lower-cased it ends Kim Jong Un's name). */
  acronyms: z.array(z.string().min(2)).optional(),
}).strict();

export const LexiconSchema = z
  .object({
    $comment: Comment,
    /** Entities that name the parties themselves (countries, capitals, the pair): no evidence of which development. */
    genericEntities: IdList.default({ ids: [] }),
    /** Prefixes of the parties' names: every relevant headline has them, so headline similarity skips them. */
    genericTitleWords: z
      .object({ $comment: Comment, stems: StemsSchema })
      .strict()
      .default({ stems: { en: [], ru: [], ko: [] } }),
    /** Entities that name a group or region: they say which side, not who acted. */
    groupEntities: IdList.default({ ids: [] }),
    /** Topic entities so broad that nearly every development touches them (diplomacy, the economy). */
    broadTopics: IdList.default({ ids: [] }),
    /** The heads of state, named in most developments whoever acts in them. */
    leaders: IdList.default({ ids: [] }),
    /** Entities that are places: a shared place is not the same actor. */
    placeEntities: IdList.default({ ids: [] }),
    /** [topic entity id, concept id]: one piece of evidence when both come from the same words. */
    topicConcepts: z
      .object({ $comment: Comment, pairs: z.array(z.tuple([z.string().min(1), Slug])).default([]) })
      .strict()
      .default({ pairs: [] }),
    acts: z.array(ActSchema).default([]),
    objects: z.array(Entry.extend({ backdrop: z.boolean().optional() }).strict()).default([]),
    actors: z.array(ActorSchema).default([]),
    places: z.array(Entry).default([]),
    /** Kinds of site (a factory, an airfield): a generic site and a named place never conflict. */
    sites: z.array(Entry).default([]),
    /** Words that make a headline an announcement of something still to come. */
    announcement: z
      .object({ $comment: Comment, stems: StemsSchema })
      .strict()
      .default({ stems: { en: [], ru: [], ko: [] } }),
  })
  .strict()
  .superRefine((lexicon, ctx) => {
    const seen = new Map<string, string>();
    for (const section of ["acts", "objects", "actors", "places", "sites"] as const) {
      lexicon[section].forEach((entry, i) => {
        const key = `${SIGNAL_PREFIX[section]}:${entry.id}`;
        const other = seen.get(key);
        if (other)
          ctx.addIssue({
            code: "custom",
            path: [section, i, "id"],
            message: `"${entry.id}" is also in ${other}`,
          });
        seen.set(key, section);
      });
    }
  });

/** The signal prefix each section's entries give (`c:ratify`, `e:duma`, `p:wonsan`, `s:airfield`). */
export const SIGNAL_PREFIX = { acts: "c", objects: "c", actors: "e", places: "p", sites: "s" } as const;

export type Lexicon = z.infer<typeof LexiconSchema>;
export type LexiconEntry = z.infer<typeof Entry>;
export type Stems = z.infer<typeof StemsSchema>;
