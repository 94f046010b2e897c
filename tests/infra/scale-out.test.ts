// What the scale-out promises in the template: schedule → dispatcher → queue → workers with a
// concurrency limit, leases as long as the worker may run, stale messages gone after an interval,
// failed batches dead-lettered where an alarm sees them.
import { afterAll, describe, expect, it } from "vitest";
import { pollTimeout } from "#infra/config.ts";
import { POLL_BATCHES_PER_INVOCATION } from "#shared/domain/dispatch.ts";
import { logicalIdOf, propertiesOf, resourcesOfType, synthTemplate } from "./synth.ts";

const synthesized = synthTemplate();
const { template, stack, config } = synthesized;
afterAll(() => synthesized.dispose());
const { pipeline } = stack;
const pollQueueId = logicalIdOf(stack, pipeline.pollQueue);
const workerId = logicalIdOf(stack, pipeline.pollFeeds);
const dispatcherId = logicalIdOf(stack, pipeline.dispatchFeeds);
const intervalSeconds = 10 * 60;

describe("scale-out", () => {
  it("drains the poll queue with at most polling.workers workers, five hosts each, partial failures", () => {
    expect(config.polling.workers).toBe(10);
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: workerId },
      EventSourceArn: { "Fn::GetAtt": [pollQueueId, "Arn"] },
      BatchSize: POLL_BATCHES_PER_INVOCATION,
      ScalingConfig: { MaximumConcurrency: config.polling.workers },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("keeps a message no longer than an interval, hides it for six worker timeouts, dead-letters after three", () => {
    const queue = propertiesOf(resourcesOfType(template, "AWS::SQS::Queue"), pollQueueId);
    expect(queue.MessageRetentionPeriod).toBe(intervalSeconds);
    expect(queue.VisibilityTimeout).toBe(6 * pollTimeout(config).toSeconds());
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": [logicalIdOf(stack, pipeline.deadLetters), "Arn"] },
      maxReceiveCount: 3,
    });
    expect(queue.SqsManagedSseEnabled).toBe(true);
  });

  it("tells the dispatcher the queue, and gives the worker the timeout its leases last", () => {
    const functions = resourcesOfType(template, "AWS::Lambda::Function");
    const env = propertiesOf(functions, dispatcherId).Environment as { Variables: Record<string, unknown> };
    expect(env.Variables.QUEUE_URL).toEqual({ Ref: pollQueueId });
    expect(propertiesOf(functions, workerId).Timeout).toBe(pollTimeout(config).toSeconds());
    expect(pollTimeout(config).toSeconds() + 30).toBeLessThanOrEqual(intervalSeconds);
  });
});
