// The quiet failures of polling, each an alarm to the ops topic: half the feeds or more failing or
// no dispatch in two of three intervals, an unhealthy feed, overdue feeds, throttling, and a
// poll batch that failed three times (dead-lettered into the pipeline's one DeadLetters queue).
import { afterAll, describe, expect, it } from "vitest";
import {
  FAILING_INTERVALS_TO_ALARM,
  FAILING_SHARE,
  FAILING_WINDOW_INTERVALS,
} from "#infra/constructs/monitoring.ts";
import { DISPATCH_METRICS, SERVICE_NAMES } from "#shared/domain/dispatch-metrics.ts";
import { logicalIdOf, resourcesOfType, synthTemplate } from "./synth.ts";

const synthesized = synthTemplate();
const { template, stack, config } = synthesized;
afterAll(() => synthesized.dispose());
const alarms = resourcesOfType(template, "AWS::CloudWatch::Alarm");
const alarmTopic = { Ref: logicalIdOf(stack, stack.state.alarmTopic) };
const INTERVAL_SECONDS = 600;

function alarmOn(metricName: string, threshold?: number) {
  const found = Object.values(alarms).filter(
    (a) =>
      a.Properties.MetricName === metricName &&
      (threshold === undefined || a.Properties.Threshold === threshold),
  );
  expect(found, metricName).toHaveLength(1);
  const alarm = found[0]?.Properties ?? {};
  expect(alarm.AlarmActions).toEqual([alarmTopic]);
  return alarm;
}

const dispatcherCount = {
  Namespace: "PactWatch",
  Dimensions: [{ Name: "service", Value: SERVICE_NAMES.dispatch }],
  Statistic: "Maximum",
  ComparisonOperator: "GreaterThanOrEqualToThreshold",
};

describe("alarms on quiet failures", () => {
  const feeds = config.feeds.length;

  it("half the feeds failing, every feed failing, or no count because nothing dispatched: in two of three intervals", () => {
    const share = Math.ceil(FAILING_SHARE * feeds);
    expect(share).toBeLessThan(feeds);
    // One alarm on the count: every feed failing passes the half-share threshold too.
    const onFailing = Object.values(alarms).filter(
      (a) => a.Properties.MetricName === DISPATCH_METRICS.failing,
    );
    expect(onFailing).toHaveLength(1);
    expect(FAILING_INTERVALS_TO_ALARM).toBeLessThan(FAILING_WINDOW_INTERVALS);
    expect(alarmOn(DISPATCH_METRICS.failing, share)).toMatchObject({
      ...dispatcherCount,
      Period: INTERVAL_SECONDS,
      EvaluationPeriods: FAILING_WINDOW_INTERVALS,
      DatapointsToAlarm: FAILING_INTERVALS_TO_ALARM,
      // No count at all means no dispatch ran.
      TreatMissingData: "breaching",
    });
  });

  it("any unhealthy feed, at once", () => {
    expect(alarmOn(DISPATCH_METRICS.unhealthy)).toMatchObject({
      ...dispatcherCount,
      Threshold: 1,
      EvaluationPeriods: 1,
    });
  });

  it("feeds overdue two intervals in a row", () => {
    expect(alarmOn(DISPATCH_METRICS.overdue)).toMatchObject({
      ...dispatcherCount,
      Threshold: 1,
      Period: INTERVAL_SECONDS,
      EvaluationPeriods: 2,
    });
  });

  it("any throttled Lambda invocation", () => {
    expect(alarmOn("Throttles")).toMatchObject({
      Namespace: "AWS/Lambda",
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });

  it("a poll batch that failed three times lands in a watched dead-letter queue", () => {
    const deadLetters = logicalIdOf(stack, stack.pipeline.deadLetters);
    const watched = Object.values(alarms).filter(
      (a) =>
        a.Properties.MetricName === "ApproximateNumberOfMessagesVisible" &&
        JSON.stringify(a.Properties.Dimensions).includes(deadLetters),
    );
    expect(watched).toHaveLength(1);
    const queue = resourcesOfType(template, "AWS::SQS::Queue")[logicalIdOf(stack, stack.pipeline.pollQueue)];
    expect(JSON.stringify(queue?.Properties.RedrivePolicy)).toContain(deadLetters);
  });

  it("errors of the dispatcher and the worker, whose failures reach no dead-letter queue", () => {
    const errors = Object.values(alarms)
      .filter((a) => a.Properties.MetricName === "Errors")
      .map((a) => JSON.stringify(a.Properties.Dimensions));
    expect(errors).toHaveLength(2);
    for (const fn of [stack.pipeline.dispatchFeeds, stack.pipeline.pollFeeds]) {
      expect(errors.some((d) => d.includes(logicalIdOf(stack, fn)))).toBe(true);
    }
  });
});
