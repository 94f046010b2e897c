// `npm run feed`, run as a process against a real loopback server: the --json contract the
// conformance suite reads (one object per URL and line, in order, nothing else on stdout), items
// identical to the poller's reader, verdicts from the matcher, and the deployed policy on request.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOOPBACK_ALLOWED } from "#shared/adapters/feed/address-policy.ts";
import { createFeedReader } from "#shared/adapters/feed/reader.ts";
import type { DoctorRecord } from "../../functions/local/doctor/examine-feed.ts";
import {
  bytesRoute,
  feedAt,
  type IngestServer,
  startIngestServer,
  TEST_READ_OPTIONS,
} from "../support/ingest-server.ts";

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const fixture = (name: string) => readFileSync(join(projectRoot, "tests/fixtures/feeds-extra", name));

let server: IngestServer;

beforeAll(async () => {
  server = await startIngestServer({
    "/cyrillic.rss": bytesRoute(fixture("win1251.rss"), {
      "content-type": "application/rss+xml; charset=windows-1251",
    }),
    "/news.rss": bytesRoute(fixture("google-news.rss"), { "content-type": "application/rss+xml" }),
    // The same bytes with no charset anywhere (no header parameter, no prolog): detection decides.
    "/undeclared.rss": bytesRoute(fixture("win1251.rss"), { "content-type": "application/rss+xml" }),
    // The root's end tag cut short: read leniently, the items kept, the feed marked degraded.
    "/cut.rss": bytesRoute(
      '<rss version="2.0"><channel><title>C</title><item><title>Kept despite the cut</title>' +
        "<guid>c-1</guid></item></channel></rss",
      { "content-type": "application/rss+xml; charset=utf-8" },
    ),
    "/gone": bytesRoute("", {}, 404),
    "/mixed.rss": bytesRoute(
      '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>M</title>' +
        "<item><title>Local football club wins the cup</title><link>https://m.test/1</link><guid>m-1</guid></item>" +
        "<item><title>Putin and Kim Jong Un sign a new arms deal in Pyongyang</title><link>https://m.test/2</link>" +
        "<pubDate>Tue, 01 Dec 2026 08:00:00 +0900</pubDate></item></channel></rss>",
      { "content-type": "application/rss+xml" },
    ),
  });
});
afterAll(() => server.close());

async function doctor(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(join(projectRoot, "node_modules/.bin/tsx"), ["functions/local/feed.ts", ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, NO_COLOR: "1" },
    timeout: 90_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

describe("npm run feed -- --json", () => {
  let records: DoctorRecord[];
  let result: { code: number; stdout: string; stderr: string };
  const urls = () => [
    server.url("/cyrillic.rss"),
    server.url("/gone"),
    server.url("/news.rss"),
    server.url("/mixed.rss"),
    server.url("/undeclared.rss"),
    server.url("/cut.rss"),
  ];

  beforeAll(async () => {
    result = await doctor("--json", ...urls());
    records = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as DoctorRecord);
  }, 120_000);

  it("prints exactly one JSON object per URL, in order, and nothing else", () => {
    expect(result.stdout.endsWith("\n")).toBe(true);
    expect(records.map((r) => r.url)).toEqual(urls());
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(
        ["charset", "degraded", "dropped", "error", "format", "items", "status", "url"].sort(),
      );
    }
    // One feed failed: the doctor says so in its exit status.
    expect(result.code).toBe(1);
  });

  it("gives status, charset and why, format, or the error", () => {
    const [cyrillic, gone, news] = records;
    expect(cyrillic).toMatchObject({
      status: 200,
      charset: { name: "windows-1251", source: "header" },
      format: "rss",
      error: null,
    });
    expect(gone).toMatchObject({ status: null, items: [], error: { reason: "http-404" } });
    expect(news?.format).toBe("rss");
    expect(cyrillic?.degraded).toBeNull();
  });

  it("says when detection decided the charset, and when a feed was read despite malformed XML", () => {
    const [cyrillic, , , , undeclared, cut] = records;
    expect(undeclared).toMatchObject({ charset: { name: "windows-1251", source: "detected" }, error: null });
    expect(undeclared?.items.map((item) => item.title)).toEqual(cyrillic?.items.map((item) => item.title));
    expect(cut).toMatchObject({ error: null, degraded: { reason: "malformed-xml" } });
    expect(cut?.items.map((item) => item.title)).toEqual(["Kept despite the cut"]);
  });

  it("gives the poller's items field for field, each with the matcher's verdict", async () => {
    const reader = createFeedReader({ addressPolicy: LOOPBACK_ALLOWED });
    for (const record of [records[0], records[2], records[3], records[4], records[5]]) {
      if (!record) throw new Error("record missing");
      const { feed, state } = feedAt(record.url, { id: "doctor" });
      const outcome = await reader.read(feed, state, TEST_READ_OPTIONS);
      if (outcome.kind !== "items") throw new Error(`read failed: ${JSON.stringify(outcome)}`);
      expect(record.items.map(({ match: _match, ...fields }) => fields)).toEqual(
        outcome.items.map((item) => ({
          id: item.id,
          title: item.title,
          summary: item.summary,
          link: item.link ?? null,
          published: item.published ?? null,
          language: item.language,
        })),
      );
      expect(record.dropped).toBe(outcome.dropped);
    }
    const all = records.flatMap((r) => r.items);
    const relevant = all.filter((item) => item.match.relevant);
    expect(relevant.length).toBeGreaterThan(0);
    expect(all.length - relevant.length).toBeGreaterThan(0);
    for (const item of relevant) {
      expect(item.match.entities.length).toBeGreaterThan(1);
      expect(item.match.rule).not.toBe("");
    }
    for (const item of all.filter((i) => !i.match.relevant))
      expect(item.match.reason).toContain(item.match.rule);
    for (const item of all)
      if (item.published !== null) expect(new Date(item.published).toISOString()).toBe(item.published);
  });
});

describe("npm run feed (human output)", () => {
  it("reads a demo feed by its id, with the deployed policy refusing loopback on request", async () => {
    const { code, stdout } = await doctor("mfa-press", "--deployed-policy", server.url("/news.rss"));
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^mfa-press .*\n {2}HTTP - · charset - · format - · 0 items, 0 dropped\n {2}✗ address-refused: /m,
    );
    expect(stdout).toContain(`${server.url("/news.rss")}\n  HTTP - ·`);
  }, 120_000);

  it("shows status, charset and why, format and every item's verdict", async () => {
    const { code, stdout } = await doctor(server.url("/cyrillic.rss"));
    expect(code).toBe(0);
    expect(stdout).toContain("HTTP 200 · charset windows-1251 (from the Content-Type header) · format rss");
    expect(stdout).toMatch(/✓ \d{4}-\d\d-\d\dT.* \[ru\] /);
    expect(stdout).toMatch(/relevant \([a-z-]+; (normal|high); [a-z-]+, /);
    expect(stdout).toMatch(/\n {6}id \S+\n {6}link \S+\n/);
  }, 120_000);

  it("names the charset detection and a degraded read in words", async () => {
    const { code, stdout } = await doctor(server.url("/undeclared.rss"), server.url("/cut.rss"));
    expect(code).toBe(0);
    expect(stdout).toContain("charset windows-1251 (from the bytes, by charset detection) · format rss");
    expect(stdout).toMatch(/\n {2}! degraded, malformed-xml: Malformed XML: .*\(read leniently\)\n/);
  }, 120_000);

  it("names the feed ids it knows when one is wrong", async () => {
    const { code, stderr } = await doctor("no-such-feed");
    expect(code).toBe(2);
    expect(stderr).toMatch(/No feed "no-such-feed" in the bundled demo feeds[\s\S]*mfa-press/);
  }, 120_000);
});
