import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createSqsPollQueue } from "#shared/adapters/sqs-poll-queue.ts";
import type { PollBatch } from "#shared/domain/dispatch.ts";

const sqs = mockClient(SQSClient);
const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/poll";
const noWait = async () => {};
const batch = (i: number): PollBatch => ({
  host: `h${i}.test`,
  feedIds: [`f${i}`],
  dispatchedAt: "2026-12-07T12:00:00.000Z",
});

beforeEach(() => sqs.reset());

describe("SQS poll queue", () => {
  it("sends ten entries per call and sends again only the entries that failed", async () => {
    let calls = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
      calls++;
      // The first call refuses its second entry once, as a throttled batch does.
      if (calls === 1) {
        return {
          Successful: [],
          Failed: [{ Id: input.Entries[1]?.Id, Code: "Throttled", SenderFault: false }],
        };
      }
      return { Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] };
    });

    await createSqsPollQueue(new SQSClient({}), QUEUE, noWait).send(
      Array.from({ length: 12 }, (_, i) => batch(i)),
    );

    const sent = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(sent.map((entries) => entries.length)).toEqual([10, 1, 2]);
    expect(sent[1]?.[0]?.Id).toBe("1");
    expect(JSON.parse(sent[2]?.[1]?.MessageBody ?? "")).toEqual(batch(11));
  });

  it("fails the dispatch when entries still fail after the retries, naming the error", async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: "0", Code: "KMS.Throttled", Message: "slow down", SenderFault: false }],
    });
    await expect(createSqsPollQueue(new SQSClient({}), QUEUE, noWait).send([batch(0)])).rejects.toThrow(
      /SQS refused 1 poll batch\(es\): KMS.Throttled: slow down/,
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(4);
  });
});
