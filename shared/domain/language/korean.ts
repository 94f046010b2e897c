// Korean grammar the engines read, written once: the particles and endings glued to a name, in the
// groups the rules ask about. Korean glues them to the word, so a name is found with what follows.

/** Topic markers: the subject a sentence is about (북한은, 러시아는). */
export const TOPIC_PARTICLES = ["은", "는"] as const;
/** Subject markers (러시아가, 북한이). */
export const SUBJECT_PARTICLES = ["이", "가"] as const;
export const GENITIVE_PARTICLES = ["의"] as const;
/** "And" / "with" between two names (러시아와 북한), alone and with the genitive (북한과의). */
export const CONJUNCTION_PARTICLES = ["과", "와"] as const;
export const CONJUNCTION_GENITIVE_PARTICLES = ["과의", "와의"] as const;
export const OBJECT_PARTICLES = ["을", "를"] as const;
/** "Also", "at/in", "from", "to". */
export const OTHER_CASE_PARTICLES = ["도", "에", "에서", "에게"] as const;
/** A country's "side" (미국 측은): how reports name a government by its country. */
export const SIDE_SUFFIXES = ["측", "측은", "측의"] as const;

/** Every particle and ending that may follow a name with no space (김정은이, 평양서, 방문했다). */
export const GLUED_ENDINGS: readonly string[] = [
  ...SUBJECT_PARTICLES,
  ...TOPIC_PARTICLES,
  ...OBJECT_PARTICLES,
  ...CONJUNCTION_PARTICLES,
  ...GENITIVE_PARTICLES,
  ..."에 에서 서 에게 께 로 으로 도 만 과의 와의 에서의 에서는 에서도 에는 에도".split(" "),
  ..."으로는 로는 으로도 로도 으로의 로의 까지 부터 보다 처럼 이나 나 이랑 랑 하고 이다 이며 이라고 라고".split(
    " ",
  ),
  ..."이라는 라는 과는 와는 에게서 한테 이었다 였다 이자 야 아 들 들이 들은 들의 들을 들과 들도".split(" "),
  // Verb endings glued to a noun: 방문했다, 체결한, 파병하기로.
  ..."했다 한다 하다 하며 하는 한 할 해 해서 했고 했으며 하기로 했던 하겠다 합니다 했습니다".split(" "),
  ..."됐다 된 되는 될 돼 되어 됐으며 시켰다 시킨 중 차 키로".split(" "),
  // North Korean spelling and glued postpositions: 하였다, 되였다, 조선과 로씨야사이의.
  ..."하였다 하였으며 되였다 되였으며 하시였다 사이 사이의 사이에 사이에서".split(" "),
  // The honorific subject of North Korean reports: 김정은동지께서, 로씨야대통령께서는.
  ..."께서 께서는 께서도".split(" "),
];

/** Bound nouns that make a compound with a name, optionally followed by a particle (북한군이, 원산항에). */
export const BOUND_NOUNS: readonly string[] = [
  ..."측 군 인 산 제 행 발 내 시 항 역 공항 당국 정부 정권 대사관 주재 수뇌회담 친선 관계 대통령 해방작전".split(
    " ",
  ),
  // North Korean usage: 김정은동지께서, 하바롭스크변강, 꾸르스크지역, 꾸르스크주, 라선경제무역지대,
  // 원산갈마해안관광지구.
  ..."동지 변강 지역 주 경제무역지대 관광지구 해안관광지구".split(" "),
];

/** A regex alternation of the given words, longest first so a longer ending wins. */
export function alternation(words: readonly string[]): string {
  return `(?:${[...words].sort((a, b) => b.length - a.length).join("|")})`;
}

/** How Korean servers write dates: 2004년 05월 28일, 오전 (am) / 오후 (pm) before the time. */
export const KOREAN_DATE_WORDS = { year: "년", month: "월", day: "일", am: "오전", pm: "오후" } as const;
