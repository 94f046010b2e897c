import { describe, expect, it } from "vitest";
import { DISPATCH_METRICS, dispatchDatapoints } from "#shared/domain/dispatch-metrics.ts";

describe("dispatch datapoints", () => {
  it("sends the failing count every tick, even at zero: its absence means no dispatch ran", () => {
    expect(dispatchDatapoints({ overdue: 0, failing: 0, unhealthy: 0 })).toEqual([
      { name: DISPATCH_METRICS.failing, value: 0 },
    ]);
  });

  it("sends the overdue and unhealthy counts only when above zero (billed by the hours sent)", () => {
    expect(dispatchDatapoints({ overdue: 3, failing: 1, unhealthy: 2 })).toEqual([
      { name: DISPATCH_METRICS.overdue, value: 3 },
      { name: DISPATCH_METRICS.failing, value: 1 },
      { name: DISPATCH_METRICS.unhealthy, value: 2 },
    ]);
    expect(dispatchDatapoints({ overdue: 0, failing: 4, unhealthy: 1 }).map((d) => d.name)).toEqual([
      DISPATCH_METRICS.failing,
      DISPATCH_METRICS.unhealthy,
    ]);
  });
});
