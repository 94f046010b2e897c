// Month names in the languages feeds date their items in, written once: feed-date parsing reads
// every language's names by their first letters, story signals read the watched languages' words.

interface MonthNames {
  /** English names and abbreviations, whole words ("19 marines" is not the 19th of March). */
  en: readonly string[];
  /** Russian stems: names inflect (июня, июнь). */
  ru: readonly string[];
  /**
   * How feeds in other languages write it (French, German, Spanish, Portuguese, Italian, Dutch,
   * Hungarian, Greek: Greek feeds abbreviate to the first letters, with or without the accent).
   */
  other: readonly string[];
}

/** January first. */
export const MONTH_NAMES: readonly MonthNames[] = [
  {
    en: ["january", "jan"],
    ru: ["январ"],
    other: ["janvier", "januar", "enero", "janeiro", "gennaio", "januari", "január", "Ιανουάριος"],
  },
  {
    en: ["february", "feb"],
    ru: ["феврал"],
    other: ["février", "februar", "febrero", "fevereiro", "febbraio", "februari", "február", "Φεβρουάριος"],
  },
  {
    en: ["march", "mar"],
    ru: ["март"],
    other: ["mars", "märz", "mrz", "marzo", "março", "maart", "március", "Μάρτιος"],
  },
  { en: ["april", "apr"], ru: ["апрел"], other: ["avril", "abril", "aprile", "április", "Απρίλιος"] },
  {
    en: ["may"],
    ru: ["мая", "май"],
    other: ["mai", "mayo", "maio", "maggio", "mei", "május", "Μάιος", "Μαΐου"],
  },
  {
    en: ["june", "jun"],
    ru: ["июн"],
    other: ["juin", "juni", "junio", "junho", "giugno", "június", "Ιούνιος", "Ιον"],
  },
  {
    en: ["july", "jul"],
    ru: ["июл"],
    other: ["juillet", "juli", "julio", "julho", "luglio", "július", "Ιούλιος", "Ιολ"],
  },
  { en: ["august", "aug"], ru: ["август"], other: ["août", "agosto", "augustus", "augusztus", "Αύγουστος"] },
  {
    en: ["september", "sept", "sep"],
    ru: ["сентябр"],
    other: ["septembre", "septiembre", "setembro", "settembre", "szeptember", "Σεπτέμβριος"],
  },
  {
    en: ["october", "oct"],
    ru: ["октябр"],
    other: ["octobre", "oktober", "octubre", "outubro", "ottobre", "október", "Οκτώβριος"],
  },
  { en: ["november", "nov"], ru: ["ноябр"], other: ["novembre", "noviembre", "novembro", "Νοέμβριος"] },
  {
    en: ["december", "dec"],
    ru: ["декабр"],
    other: ["décembre", "dezember", "diciembre", "dezembro", "dicembre", "Δεκέμβριος"],
  },
];
