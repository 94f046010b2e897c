// Korean grammar the engines read, from ko.json: the particles and endings glued to a name, in the
// groups the rules ask about. Korean glues them to the word, so a name is found with what follows.
import { type Grammar, LANGUAGES } from "./schema.ts";

export { alternation } from "./words.ts";

function grammarOf(): Grammar {
  const grammar = LANGUAGES.ko.grammar;
  if (!grammar)
    throw new Error("Invalid language data shared/domain/language/ko.json:\n  - grammar: required");
  return grammar;
}
const GRAMMAR = grammarOf();

/** Topic markers: the subject a sentence is about (북한은, 러시아는). */
export const TOPIC_PARTICLES: readonly string[] = GRAMMAR.topic.words;
/** Subject markers (러시아가, 북한이). */
export const SUBJECT_PARTICLES: readonly string[] = GRAMMAR.subject.words;
export const GENITIVE_PARTICLES: readonly string[] = GRAMMAR.genitive.words;
/** "And" / "with" between two names (러시아와 북한), alone and with the genitive (북한과의). */
export const CONJUNCTION_PARTICLES: readonly string[] = GRAMMAR.conjunction.words;
export const CONJUNCTION_GENITIVE_PARTICLES: readonly string[] = GRAMMAR.conjunctionGenitive.words;
export const OBJECT_PARTICLES: readonly string[] = GRAMMAR.object.words;
/** "Also", "at/in", "from", "to". */
export const OTHER_CASE_PARTICLES: readonly string[] = GRAMMAR.otherCase.words;
/** A country's "side" (미국 측은): how reports name a government by its country. */
export const SIDE_SUFFIXES: readonly string[] = GRAMMAR.sideSuffix.words;

/** Every particle and ending that may follow a name with no space (김정은이, 평양서, 방문했다). */
export const GLUED_ENDINGS: readonly string[] = [
  ...SUBJECT_PARTICLES,
  ...TOPIC_PARTICLES,
  ...OBJECT_PARTICLES,
  ...CONJUNCTION_PARTICLES,
  ...GENITIVE_PARTICLES,
  ...GRAMMAR.gluedEndings.words,
];

/** Bound nouns that make a compound with a name, optionally followed by a particle (북한군이, 원산항에). */
export const BOUND_NOUNS: readonly string[] = GRAMMAR.boundNouns.words;
