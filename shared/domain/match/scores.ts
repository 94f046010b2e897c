// How sure each relevance rule is (MatchResult.score, 0..1). Only the order matters: the score is
// shown in "why it matched" and ranks evidence, no subscriber filters on it. Relevant rules score
// above 0.5, the rest below, and each step down trusts weaker evidence.
export const SCORE = {
  /** A term that names the pair itself ("Russia–DPRK", 북러, "Putin–Kim summit"): no doubt left. */
  pairTerm: 0.95,
  /** Both sides related in one sentence with a topic; each topic's weight adds up to the rest. */
  relatedInSentence: 0.9,
  relatedInSentencePerTopic: 0.1,
  /** A headline pairing the two whose summary goes on about their dealings. */
  headlinePairSummaryTopic: 0.8,
  /** One side tied to a stand-in for the other beside a weapons topic (North Korea in Russia's war). */
  standInWithHighTopic: 0.75,
  /** Both sides in separate sentences tied by a topic: plausible, weaker than one sentence. */
  sidesAndTopic: 0.7,
  sidesAndTopicPerTopic: 0.2,
  /** One side acting on or at the other with no topic word ("church consecrated in Pyongyang"). */
  sidesTogether: 0.65,
  /** Both sides named but nothing relates them: the closest miss. */
  noRelation: 0.35,
  /** Both sides listed, ranked or strung into a roundup: named together, not related. */
  listed: 0.3,
  /** A side that remains only in an aside or a backdrop ("weeks after Putin's visit"). */
  asideOnly: 0.2,
  /** One side only. */
  oneSide: 0.15,
  /** Neither side. */
  none: 0,
} as const;
