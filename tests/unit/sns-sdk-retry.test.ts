// Whole-call retries belong to the SDK: a real SNSClient with the handlers' retry settings, its HTTP
// handler replaced by one that answers like SNS (no network), and the real adapter on top.
import { Readable } from "node:stream";
import { SNSClient } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { SDK_MAX_ATTEMPTS, SDK_RETRY } from "#shared/adapters/aws-retry.ts";
import { createSnsPublisher } from "#shared/adapters/sns-publisher.ts";
import type { Alert } from "#shared/ports.ts";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts";

const alert: Alert = {
  key: { storyId: "2026-11-28~0000000000000001", stage: "new", audience: "UTC" },
  subject: "Russia and North Korea: troops",
  email: "body",
  sms: "sms",
  default: "default",
  attributes: {
    kind: "alert",
    stage: "new",
    level: 1,
    severity: "high",
    entities: ["russia", "dprk"],
    language: "en",
    feed: "wire",
    audience: "UTC",
  },
  links: ["https://wire.example/1"],
};

const THROTTLED = `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const INTERNAL = `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>oops</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const ACCEPTED = `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful><member><Id>alert-0</Id><MessageId>m-1</MessageId></member></Successful><Failed/></PublishBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishBatchResponse>`;

/** An SNS endpoint that answers each HTTP request with the next scripted status and body. */
function scriptedSns(answers: Array<[number, string]>) {
  const requests: string[] = [];
  const requestHandler = {
    async handle(request: { body?: unknown }) {
      requests.push(String(request.body));
      const [statusCode, body] = answers[Math.min(requests.length, answers.length) - 1] ?? [500, INTERNAL];
      return {
        response: {
          statusCode,
          headers: { "content-type": "text/xml" },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
  };
  const client = new SNSClient({
    ...SDK_RETRY,
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler,
  });
  return { client, requests };
}

describe("whole-call retries (the SDK's standard strategy)", () => {
  it("retries a throttled and a failed call inside one publish, and the adapter sends nothing again", async () => {
    const sns = scriptedSns([
      [400, THROTTLED],
      [500, INTERNAL],
      [200, ACCEPTED],
    ]);

    const results = await createSnsPublisher(sns.client, TOPIC).publish([alert]);

    expect(results).toEqual([{ ok: true, messageId: "m-1" }]);
    expect(sns.requests).toHaveLength(3);
  });

  it("stops after the SDK's attempts, not attempts times the adapter's rounds, and reports it retryable", async () => {
    const sns = scriptedSns([[500, INTERNAL]]);

    const results = await createSnsPublisher(sns.client, TOPIC, { entryAttempts: 4 }).publish([alert]);

    expect(sns.requests).toHaveLength(SDK_MAX_ATTEMPTS);
    expect(results[0]).toMatchObject({ ok: false, retryable: true });
  });
});
