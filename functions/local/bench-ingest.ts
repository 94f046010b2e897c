// `npm run bench -- ingest`: throughput of decode → parse → normalize over generated, realistic
// feeds (RSS 2.0 and Atom with HTML summaries, one in windows-1251), a few MB in all.
import { decodeBody } from "#shared/adapters/feed/decode.ts";
import { parseFeed } from "#shared/adapters/feed/parse.ts";
import { normalizeFeed } from "#shared/domain/normalize.ts";

interface GeneratedFeed {
  name: string;
  bytes: Uint8Array;
  contentType: string;
}

const ROUNDS = 5;
const MB = 1024 * 1024;

export async function benchIngest(): Promise<Record<string, number>> {
  const feeds = [
    {
      name: "rss-en",
      bytes: utf8(rssFeed(1500, english)),
      contentType: "application/rss+xml; charset=utf-8",
    },
    { name: "atom-en", bytes: utf8(atomFeed(1500, english)), contentType: "application/atom+xml" },
    {
      name: "rss-ru-1251",
      bytes: windows1251(rssFeed(1500, russian, "windows-1251")),
      contentType: "text/xml",
    },
  ];
  const totalBytes = feeds.reduce((sum, feed) => sum + feed.bytes.byteLength, 0);
  console.log(
    `ingest bench: ${feeds.length} feeds, ${(totalBytes / MB).toFixed(2)} MB, ${ROUNDS} rounds after a warm-up`,
  );

  await runOnce(feeds); // warm-up: JIT, lazy module state
  const rounds: Array<{ decode: number; parse: number; normalize: number; items: number }> = [];
  for (let round = 0; round < ROUNDS; round++) rounds.push(await runOnce(feeds));

  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const decodeMs = median(rounds.map((r) => r.decode));
  const parseMs = median(rounds.map((r) => r.parse));
  const normalizeMs = median(rounds.map((r) => r.normalize));
  const totalMs = median(rounds.map((r) => r.decode + r.parse + r.normalize));
  const items = rounds[0]?.items ?? 0;
  const mbPerSecond = (ms: number) => round2(totalBytes / MB / (ms / 1000));

  const result = {
    feeds: feeds.length,
    inputMB: round2(totalBytes / MB),
    items,
    totalMs: round2(totalMs),
    decodeMs: round2(decodeMs),
    parseMs: round2(parseMs),
    normalizeMs: round2(normalizeMs),
    throughputMBps: mbPerSecond(totalMs),
    parseOnlyMBps: mbPerSecond(parseMs),
    itemsPerSecond: Math.round(items / (totalMs / 1000)),
    heapUsedMB: round2(process.memoryUsage().heapUsed / MB),
  };
  console.log(
    `decode ${result.decodeMs} ms · parse ${result.parseMs} ms · normalize ${result.normalizeMs} ms · ` +
      `total ${result.totalMs} ms for ${items} items`,
  );
  console.log(`throughput ${result.throughputMBps} MB/s (${result.itemsPerSecond} items/s)`);
  return result;
}

async function runOnce(feeds: GeneratedFeed[]) {
  let decode = 0;
  let parse = 0;
  let normalize = 0;
  let items = 0;
  for (const feed of feeds) {
    const t0 = performance.now();
    const decoded = decodeBody(feed.bytes, feed.contentType);
    const t1 = performance.now();
    const parsed = await parseFeed(decoded.text, feed.contentType);
    const t2 = performance.now();
    if (!parsed.ok) throw new Error(`${feed.name}: ${parsed.message}`);
    const normalized = normalizeFeed(parsed.feed, {
      feedId: feed.name,
      feedUrl: `https://bench.example/${feed.name}`,
    });
    const t3 = performance.now();
    decode += t1 - t0;
    parse += t2 - t1;
    normalize += t3 - t2;
    items += normalized.items.length;
  }
  return { decode, parse, normalize, items };
}

interface Words {
  titles: string[];
  sentences: string[];
}

const english: Words = {
  titles: [
    "Putin and Kim Jong Un sign comprehensive strategic partnership treaty",
    "Seoul protests as Pyongyang and Moscow deepen military ties",
    "Markets rally on tech earnings",
    "Lavrov meets Choe Son Hui in Wonsan",
    "Local council approves new cycling lanes",
  ],
  sentences: [
    "The agreement obliges both sides to provide military assistance if either is attacked.",
    "Analysts said the pact marks the strongest link between the two countries since the Cold War.",
    "Officials in Washington and Seoul expressed concern about weapons transfers.",
    "The central bank left interest rates unchanged for a third consecutive meeting.",
    "Residents say the new lanes will make the city centre safer for children.",
  ],
};

const russian: Words = {
  titles: [
    "Путин и Ким Чен Ын подписали договор о всеобъемлющем стратегическом партнёрстве",
    "Лавров провёл переговоры с Цой Сон Хи в Вонсане",
    "Курс рубля укрепился на фоне высоких цен на нефть",
    "В Пхеньяне прошли переговоры на высшем уровне",
  ],
  sentences: [
    "Стороны обязались оказывать друг другу военную помощь в случае нападения.",
    "Эксперты считают соглашение самым значительным со времён холодной войны.",
    "Центральный банк сохранил ключевую ставку без изменений.",
    "Делегации обсудили сотрудничество в области транспорта и туризма.",
  ],
};

function pick<T>(list: T[], i: number): T {
  return list[i % list.length] as T;
}

function summaryHtml(words: Words, i: number): string {
  const sentences = Array.from({ length: 6 }, (_, k) => pick(words.sentences, i + k));
  return (
    `<p>${sentences.slice(0, 3).join(" ")}</p><p><a href="https://bench.example/related/${i}?utm_source=rss">` +
    `${sentences[3]}</a> ${sentences.slice(4).join(" ")}</p><img src="https://bench.example/img/${i}.jpg"/>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function rssFeed(count: number, words: Words, encoding = "UTF-8"): string {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>${escapeXml(pick(words.titles, i))} (${i})</title>` +
      `<link>https://bench.example/news/${i}?utm_source=rss&amp;utm_medium=feed</link>` +
      `<guid isPermaLink="false">bench-${i}</guid><pubDate>${new Date(Date.UTC(2024, 5, 19, 10) - i * 60_000).toUTCString()}</pubDate>` +
      `<description>${escapeXml(summaryHtml(words, i))}</description>` +
      `<category>World</category><dc:creator>Newsroom</dc:creator></item>\n`,
  ).join("");
  return (
    `<?xml version="1.0" encoding="${encoding}"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
    `<channel><title>Bench</title><link>https://bench.example/</link><description>Generated</description>${items}</channel></rss>\n`
  );
}

function atomFeed(count: number, words: Words): string {
  const entries = Array.from(
    { length: count },
    (_, i) =>
      `<entry><id>tag:bench.example,2024:${i}</id><title type="html">${escapeXml(pick(words.titles, i))}</title>` +
      `<link rel="alternate" href="/news/${i}"/><published>${new Date(Date.UTC(2024, 5, 19, 10) - i * 60_000).toISOString()}</published>` +
      `<updated>2024-06-19T10:00:00Z</updated><author><name>Newsroom</name></author>` +
      `<summary type="html">${escapeXml(summaryHtml(words, i))}</summary></entry>\n`,
  ).join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">` +
    `<title>Bench</title><link href="https://bench.example/"/><id>urn:bench</id><updated>2024-06-19T10:00:00Z</updated>${entries}</feed>\n`
  );
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function windows1251(text: string): Uint8Array {
  const decoder = new TextDecoder("windows-1251");
  const table = new Map<string, number>();
  for (let byte = 255; byte >= 0; byte--) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  const out = new Uint8Array(text.length);
  let length = 0;
  for (const char of text) out[length++] = table.get(char) ?? 0x3f;
  return out.subarray(0, length);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
