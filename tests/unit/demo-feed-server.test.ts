import { describe, expect, it } from "vitest";
import { demoDateShiftDays, shiftFeedDates } from "#shared/adapters/local/demo-feed-server.ts";

describe("demo feed dates", () => {
  it("are served as written until a day after the newest item, then move by whole days", () => {
    expect(demoDateShiftDays(new Date("2026-11-28T23:00:00Z"))).toBe(0);
    expect(demoDateShiftDays(new Date("2026-11-29T17:59:00Z"))).toBe(0);
    expect(demoDateShiftDays(new Date("2026-11-29T18:00:00Z"))).toBe(1);
    expect(demoDateShiftDays(new Date("2027-03-01T00:00:00Z"))).toBe(92);
  });

  it("shift RFC 822 and ISO dates with the right weekday and leave other bytes alone", () => {
    const cyrillic = Buffer.from([0xcf, 0xf3, 0xf2, 0xe8, 0xed]); // "Путин" in windows-1251
    const body = Buffer.concat([
      Buffer.from(
        "<pubDate>Sat, 28 Nov 2026 10:00:00 +0000</pubDate><updated>2026-11-30T09:00:00+09:00</updated>",
      ),
      cyrillic,
    ]);

    const shifted = shiftFeedDates(body, 3);

    expect(shifted.subarray(0, -5).toString("latin1")).toBe(
      "<pubDate>Tue, 01 Dec 2026 10:00:00 +0000</pubDate><updated>2026-12-03T09:00:00+09:00</updated>",
    );
    expect(shifted.subarray(-5)).toEqual(cyrillic);
  });
});
