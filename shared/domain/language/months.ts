// Month names in the languages feeds date their items in, written once: feed-date parsing reads
// every language's names by their first letters, story signals read the watched languages' words.

interface MonthNames {
  /** English names and abbreviations, whole words ("19 marines" is not the 19th of March). */
  en: readonly string[];
  /** Russian stems: names inflect (июня, июнь). */
  ru: readonly string[];
  /** How feeds in other languages write it (French, German, Spanish, Portuguese, Italian, Dutch). */
  other: readonly string[];
}

/** January first. */
export const MONTH_NAMES: readonly MonthNames[] = [
  {
    en: ["january", "jan"],
    ru: ["январ"],
    other: ["janvier", "januar", "enero", "janeiro", "gennaio", "januari"],
  },
  {
    en: ["february", "feb"],
    ru: ["феврал"],
    other: ["février", "februar", "febrero", "fevereiro", "febbraio", "februari"],
  },
  { en: ["march", "mar"], ru: ["март"], other: ["mars", "märz", "mrz", "marzo", "março", "maart"] },
  { en: ["april", "apr"], ru: ["апрел"], other: ["avril", "abril", "aprile"] },
  { en: ["may"], ru: ["мая", "май"], other: ["mai", "mayo", "maio", "maggio", "mei"] },
  { en: ["june", "jun"], ru: ["июн"], other: ["juin", "juni", "junio", "junho", "giugno"] },
  { en: ["july", "jul"], ru: ["июл"], other: ["juillet", "juli", "julio", "julho", "luglio"] },
  { en: ["august", "aug"], ru: ["август"], other: ["août", "agosto", "augustus"] },
  {
    en: ["september", "sept", "sep"],
    ru: ["сентябр"],
    other: ["septembre", "septiembre", "setembro", "settembre"],
  },
  { en: ["october", "oct"], ru: ["октябр"], other: ["octobre", "oktober", "octubre", "outubro", "ottobre"] },
  { en: ["november", "nov"], ru: ["ноябр"], other: ["novembre", "noviembre", "novembro"] },
  {
    en: ["december", "dec"],
    ru: ["декабр"],
    other: ["décembre", "dezember", "diciembre", "dezembro", "dicembre"],
  },
];
