// The event-identity lexicon (lexicon.json beside this file): who acted, what they did, about what
// and where, in each watched language. Validated once at load; the story engine only reads it.
import { z } from "zod";
import data from "./lexicon.json" with { type: "json" };

const Stems = z
  .object({ en: z.array(z.string().min(1)), ru: z.array(z.string().min(1)), ko: z.array(z.string().min(1)) })
  .strict();

const Entry = z
  .object({ id: z.string().regex(/^[a-z0-9-]+$/), label: z.string().min(1), stems: Stems })
  .strict();

const IdList = z.object({ $comment: z.string().optional(), ids: z.array(z.string().min(1)) }).strict();

export const LexiconSchema = z
  .object({
    $comment: z.string().optional(),
    pairLabel: z.object({ $comment: z.string().optional(), label: z.string().min(1) }).strict(),
    groupEntities: IdList,
    leaders: IdList,
    placeEntities: IdList,
    acts: z.array(
      Entry.extend({
        /** Acts of one family tell one development (arriving, holding talks, deploying there). */
        family: z.string().regex(/^[a-z0-9-]+$/),
        /**
         * A headline with this act is its own development even when it names an earlier one with
         * it: a captured soldier's death is not his capture.
         */
        distinct: z.boolean().optional(),
      }),
    ),
    objects: z.array(Entry.extend({ backdrop: z.boolean().optional() })),
    actors: z.array(
      Entry.extend({
        /** A country or body outside the pair: its reaction to an event is a development of its own. */
        thirdParty: z.boolean().optional(),
        /** Abbreviations that count only in capitals ("UN": lower-cased it ends Kim Jong Un's name). */
        acronyms: z.array(z.string().min(2)).optional(),
      }),
    ),
    places: z.array(Entry),
    /** Kinds of site (a factory, an airfield): a generic site and a named place never conflict. */
    sites: z.array(Entry),
    announcement: z.object({ $comment: z.string().optional(), stems: Stems }).strict(),
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

/** The bundled lexicon, validated: a malformed file fails at cold start, naming the path. */
export const LEXICON: Lexicon = parseLexicon(data);

export function parseLexicon(raw: unknown): Lexicon {
  const result = LexiconSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new Error(`Invalid story lexicon:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

export function allStems(entry: { stems: z.infer<typeof Stems> }): string[] {
  return [...entry.stems.en, ...entry.stems.ru, ...entry.stems.ko];
}
