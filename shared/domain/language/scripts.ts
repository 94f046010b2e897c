// Writing systems the watched languages use, defined once for every engine that asks.

/** Any Hangul: syllables, jamo and compatibility jamo (Korean glues particles to words). */
export const HANGUL = /\p{Script=Hangul}/u;
