import {
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  SNSClient,
  SNSServiceException,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createSnsPublisher } from "#shared/adapters/sns-publisher.ts";
import type { Alert } from "#shared/ports.ts";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts";
const sns = mockClient(SNSClient);

function alert(n: number, overrides: Partial<Alert> = {}): Alert {
  return {
    key: { storyId: `2026-11-28~${String(n).padStart(16, "0")}`, stage: "new", audience: "UTC" },
    subject: `[RU-DPRK] Story ${n}`,
    email: `Email body ${n}`,
    sms: `RU-DPRK: Story ${n}`,
    default: `Default body ${n}`,
    attributes: {
      kind: "alert",
      stage: "new",
      level: 1,
      severity: n % 2 === 0 ? "high" : "normal",
      entities: ["putin", "kim-jong-un"],
      language: "en",
      feed: "wire",
      audience: "UTC",
    },
    links: [`https://example.com/${n}`],
    ...overrides,
  };
}

/** Answers every entry as published, with a message id derived from the entry id. */
function acceptAll(input: { PublishBatchRequestEntries?: PublishBatchRequestEntry[] }) {
  return {
    Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `msg-${e.Id}` })),
    Failed: [],
  };
}

function sentEntries(call: number): PublishBatchRequestEntry[] {
  return sns.commandCalls(PublishBatchCommand)[call]?.args[0].input.PublishBatchRequestEntries ?? [];
}

const noWait = { baseDelayMs: 1 };

describe("createSnsPublisher", () => {
  beforeEach(() => {
    sns.reset();
  });

  it("publishes in batches of at most ten and returns one result per alert, in order", async () => {
    // Prepare
    sns.on(PublishBatchCommand).callsFake(acceptAll);
    const alerts = Array.from({ length: 23 }, (_, i) => alert(i));

    // Act
    const results = await createSnsPublisher(new SNSClient({}), TOPIC, noWait).publish(alerts);

    // Assess
    const calls = sns.commandCalls(PublishBatchCommand);
    expect(calls.map((c) => c.args[0].input.PublishBatchRequestEntries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((c) => c.args[0].input.TopicArn === TOPIC)).toBe(true);
    expect(results).toHaveLength(23);
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = results.map((r) => (r.ok ? r.messageId : undefined));
    expect(new Set(ids).size).toBe(23);
    expect(ids[0]).toBe(`msg-${sentEntries(0)[0]?.Id}`);
    expect(ids[22]).toBe(`msg-${sentEntries(2)[2]?.Id}`);
  });

  it("sends MessageStructure json with default/email/sms, the subject and typed filter attributes", async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAll);
    const one = alert(2, {
      attributes: { ...alert(2).attributes, stage: "confirmed", level: 3, audience: "Asia/Seoul" },
    });

    await createSnsPublisher(new SNSClient({}), TOPIC, noWait).publish([one]);

    const [entry] = sentEntries(0);
    expect(entry?.MessageStructure).toBe("json");
    expect(entry?.Subject).toBe("[RU-DPRK] Story 2");
    expect(JSON.parse(entry?.Message ?? "{}")).toEqual({
      default: "Default body 2",
      email: "Email body 2",
      sms: "RU-DPRK: Story 2",
    });
    expect(entry?.MessageAttributes).toEqual({
      kind: { DataType: "String", StringValue: "alert" },
      stage: { DataType: "String", StringValue: "confirmed" },
      level: { DataType: "Number", StringValue: "3" },
      severity: { DataType: "String", StringValue: "high" },
      entities: { DataType: "String.Array", StringValue: '["putin","kim-jong-un"]' },
      language: { DataType: "String", StringValue: "en" },
      feed: { DataType: "String", StringValue: "wire" },
      audience: { DataType: "String", StringValue: "Asia/Seoul" },
    });
    expect(entry?.Id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it("retries only the entries SNS failed on its side and reports the sender's faults", async () => {
    // Prepare: a 200 response with one entry failed by SNS and one rejected as the sender's fault.
    sns
      .on(PublishBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: "alert-0", MessageId: "m0" }],
        Failed: [
          { Id: "alert-1", Code: "InternalError", Message: "try again", SenderFault: false },
          { Id: "alert-2", Code: "InvalidParameter", Message: "Subject too long", SenderFault: true },
        ],
      })
      .callsFake(acceptAll);
    const warnings: Record<string, unknown>[] = [];

    // Act
    const results = await createSnsPublisher(new SNSClient({}), TOPIC, {
      baseDelayMs: 1,
      log: { warn: (_message, ...extra) => warnings.push(Object.assign({}, ...extra)) },
    }).publish([alert(0), alert(1), alert(2)]);

    // Assess
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(2);
    expect(sentEntries(1).map((e) => e.Id)).toEqual(["alert-1"]);
    expect(results).toEqual([
      { ok: true, messageId: "m0" },
      { ok: true, messageId: "msg-alert-1" },
      { ok: false, error: "InvalidParameter: Subject too long", retryable: false },
    ]);
    expect(warnings).toEqual([{ failed: 1, attempt: 1 }]);
  });

  it("gives up after entryAttempts rounds with a retryable failure", async () => {
    sns.on(PublishBatchCommand).resolves({
      Failed: [{ Id: "alert-0", Code: "Throttled", Message: "slow down", SenderFault: false }],
    });

    const results = await createSnsPublisher(new SNSClient({}), TOPIC, {
      entryAttempts: 4,
      baseDelayMs: 1,
      maxDelayMs: 2,
    }).publish([alert(0)]);

    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(4);
    expect(results).toEqual([{ ok: false, error: "Throttled: slow down", retryable: true }]);
  });

  it("treats an entry missing from both lists as failed and retries it", async () => {
    sns.on(PublishBatchCommand).resolvesOnce({ Successful: [], Failed: [] }).callsFake(acceptAll);

    const results = await createSnsPublisher(new SNSClient({}), TOPIC, noWait).publish([alert(0)]);

    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(2);
    expect(results[0]?.ok).toBe(true);
  });

  it("leaves a failed whole call to the SDK's retry strategy: sent once, reported retryable", async () => {
    const throttled = new SNSServiceException({
      name: "ThrottledException",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
      message: "Rate exceeded",
    });
    sns.on(PublishBatchCommand).rejectsOnce(throttled).callsFake(acceptAll);

    const results = await createSnsPublisher(new SNSClient({}), TOPIC, noWait).publish([alert(0), alert(1)]);

    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(1);
    expect(results).toEqual([
      { ok: false, error: "ThrottledException: Rate exceeded", retryable: true },
      { ok: false, error: "ThrottledException: Rate exceeded", retryable: true },
    ]);
  });

  it("does not retry a whole call the service rejected as the caller's fault, and never throws", async () => {
    const denied = new SNSServiceException({
      name: "AuthorizationErrorException",
      $fault: "client",
      $metadata: { httpStatusCode: 403 },
      message: "not authorized to perform SNS:Publish",
    });
    sns.on(PublishBatchCommand).rejects(denied);

    const results = await createSnsPublisher(new SNSClient({}), TOPIC, noWait).publish([alert(0), alert(1)]);

    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(1);
    expect(results).toEqual([
      {
        ok: false,
        error: "AuthorizationErrorException: not authorized to perform SNS:Publish",
        retryable: false,
      },
      {
        ok: false,
        error: "AuthorizationErrorException: not authorized to perform SNS:Publish",
        retryable: false,
      },
    ]);
  });

  it("keeps each batch under 256 KB and refuses an alert that alone is too large", async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAll);
    const big = (n: number) => alert(n, { email: "x".repeat(100 * 1024) });
    const huge = alert(9, { email: "y".repeat(300 * 1024) });

    const results = await createSnsPublisher(new SNSClient({}), TOPIC, noWait).publish([
      big(0),
      big(1),
      huge,
      big(2),
      alert(3),
    ]);

    const sizes = sns
      .commandCalls(PublishBatchCommand)
      .map((c) =>
        (c.args[0].input.PublishBatchRequestEntries ?? []).reduce(
          (sum, e) => sum + Buffer.byteLength(e.Message ?? ""),
          0,
        ),
      );
    expect(sizes.length).toBe(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256 * 1024);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true, true]);
    expect(results[2]).toMatchObject({ ok: false, retryable: false });
  });

  it("does nothing for an empty list", async () => {
    const results = await createSnsPublisher(new SNSClient({}), TOPIC, noWait).publish([]);

    expect(results).toEqual([]);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });
});
