import { describe, expect, it } from "vitest";
import { monthlyCost, total } from "#infra/cost/model.ts";
import prices from "../../infra/cost/prices.json" with { type: "json" };
import workload from "../../infra/cost/workload.json" with { type: "json" };

const facts = {
  dispatcherMemoryMb: 256,
  workerMemoryMb: 256,
  batchesPerInvocation: 5,
  alarmMetrics: 12,
  customMetrics: 3,
  customMetricsSentOnProblem: 0,
  kmsKeys: 1,
  dashboards: 1,
};
const scenario = {
  feeds: 100,
  intervalMinutes: 5,
  feedsPerHost: 1,
  maxFeedsPerBatch: 25,
  hostConcurrency: 2,
};
const line = (lines: ReturnType<typeof monthlyCost>, prefix: string) =>
  lines.find((l) => l.item.startsWith(prefix))?.usd ?? Number.NaN;

describe("monthly cost model", () => {
  it("bills a metric sent only with a problem for the share of hours it is sent", () => {
    const onProblem = { ...facts, customMetricsSentOnProblem: 2 };
    const share = { ...workload, problemHourShare: 0.25 };
    // One metric every hour, two in a quarter of the hours: 1.5 metric-months.
    expect(line(monthlyCost(scenario, onProblem, prices, share), "CloudWatch custom metrics")).toBeCloseTo(
      1.5 * prices.cloudwatch.perCustomMetricMonth,
    );
  });

  it("prices the template's fixed parts by count", () => {
    const lines = monthlyCost(scenario, facts, prices, workload);
    expect(line(lines, "CloudWatch alarms")).toBeCloseTo(1.2);
    expect(line(lines, "CloudWatch custom metrics")).toBeCloseTo(0.9);
    expect(line(lines, "KMS keys")).toBeCloseTo(1);
  });

  it("counts a lease write per poll plus a state write for the share of polls that changed something", () => {
    const polls = 100 * 8640;
    // Reads: the dispatcher's eventually consistent (half a unit), the worker's strongly consistent.
    const expected =
      ((polls * 1.5) / 1e6) * prices.dynamodb.perMillionReadUnits +
      ((polls * (1 + workload.changedShare) + workload.matchedItemsPerMonth * 2) / 1e6) *
        prices.dynamodb.perMillionWriteUnits;
    expect(line(monthlyCost(scenario, facts, prices, workload), "DynamoDB requests")).toBeCloseTo(
      expected,
      6,
    );
  });

  it("bills fewer worker seconds when an invocation takes more hosts at once, and never less than free-tier totals", () => {
    const one = monthlyCost(scenario, { ...facts, batchesPerInvocation: 1 }, prices, workload);
    const five = monthlyCost(scenario, facts, prices, workload);
    expect(line(five, "Lambda")).toBeLessThan(line(one, "Lambda") / 2);
    expect(total(five, "freeUsd")).toBeLessThanOrEqual(total(five, "usd"));
  });
});
