// What the stateful half promises: a table laid out as shared/table.ts says, kept on delete and
// recoverable; an encrypted, TLS-only topic; one filtered subscription with a DLQ per subscriber.
import { Match } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { SNS_MANAGED_KEY_ALIAS } from "#infra/constructs/stateful-resources.ts";
import { filterPolicyFor } from "#shared/domain/subscriptions.ts";
import { TABLE } from "#shared/table.ts";
import { logicalIdOf, OPS_EMAIL, propertiesOf, resourcesOfType, synthTemplate } from "./synth.ts";

const synthesized = synthTemplate();
const { template, stack, config } = synthesized;
afterAll(() => synthesized.dispose());

describe("table", () => {
  it("uses the key names, TTL attribute and stream view of shared/table.ts", () => {
    template.resourceCountIs("AWS::DynamoDB::Table", 1);
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE.partitionKey, AttributeType: "S" },
        { AttributeName: TABLE.sortKey, AttributeType: "S" },
      ]),
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: "NEW_IMAGE" },
    });
  });

  it("bills on demand, has point-in-time recovery and no hard-coded name", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TableName: Match.absent(),
    });
  });

  it("is retained when the stack is deleted", () => {
    template.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
  });
});

describe("topics", () => {
  it("encrypts the alert topic with SNS's own key, and costs no customer key", () => {
    template.resourceCountIs("AWS::KMS::Key", 0);
    const topics = resourcesOfType(template, "AWS::SNS::Topic");
    expect(Object.keys(topics)).toHaveLength(2);
    const alert = topics[logicalIdOf(stack, stack.state.alertTopic)];
    expect(JSON.stringify(alert?.Properties.KmsMasterKeyId)).toContain(SNS_MANAGED_KEY_ALIAS);
    // CloudWatch cannot publish under SNS's managed key; the alarm topic is TLS-only instead.
    expect(topics[logicalIdOf(stack, stack.state.alarmTopic)]?.Properties.KmsMasterKeyId).toBeUndefined();
    for (const topic of Object.values(topics)) {
      expect(topic.Properties.FifoTopic).toBeUndefined();
      expect(topic.Properties.TopicName).toBeUndefined();
    }
  });

  it("denies publishing without TLS on the alert topic", () => {
    const alertTopicId = logicalIdOf(stack, stack.state.alertTopic);
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: alertTopicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Action: "sns:Publish",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
  });

  it("denies publishing without TLS on the alarm topic", () => {
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: logicalIdOf(stack, stack.state.alarmTopic) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});

describe("subscriptions", () => {
  const subscriptions = Object.values(resourcesOfType(template, "AWS::SNS::Subscription"));
  const alertTopicId = logicalIdOf(stack, stack.state.alertTopic);
  const alertSubscriptions = subscriptions.filter(
    (subscription) =>
      JSON.stringify(subscription.Properties.TopicArn) === JSON.stringify({ Ref: alertTopicId }),
  );

  it("subscribes every configured subscriber to the alert topic, once", () => {
    expect(alertSubscriptions.map((s) => s.Properties.Endpoint).sort()).toEqual(
      config.subscribers.map((s) => s.endpoint).sort(),
    );
  });

  it.each(config.subscribers.map((subscriber) => [subscriber.id, subscriber] as const))(
    "gives %s the filter policy filterPolicyFor computes, on message attributes",
    (_id, subscriber) => {
      template.hasResourceProperties("AWS::SNS::Subscription", {
        Endpoint: subscriber.endpoint,
        Protocol: subscriber.protocol,
        FilterPolicy: filterPolicyFor(subscriber),
        FilterPolicyScope: "MessageAttributes",
      });
    },
  );

  it("emits the confirmation-aware policy with $or and numeric conditions intact", () => {
    const waitsForConfirmation = config.subscribers.find((s) => s.minOutlets > 1);
    if (!waitsForConfirmation) throw new Error("the test config needs a subscriber with minOutlets > 1");
    const subscription = alertSubscriptions.find(
      (s) => s.Properties.Endpoint === waitsForConfirmation.endpoint,
    );
    const policy = subscription?.Properties.FilterPolicy as { $or?: unknown[] } | undefined;
    expect(policy?.$or?.length).toBeGreaterThan(1);
    expect(JSON.stringify(policy)).toContain(`"numeric":[">=",${waitsForConfirmation.minOutlets}]`);
    expect(JSON.stringify(policy)).toContain(`"numeric":["=",${waitsForConfirmation.minOutlets}]`);
  });

  it("gives each subscription its own encrypted dead-letter queue that only the topic may fill", () => {
    const queueTargets = new Set<string>();
    for (const subscription of alertSubscriptions) {
      const redrive = subscription.Properties.RedrivePolicy as {
        deadLetterTargetArn: { "Fn::GetAtt": [string, string] };
      };
      const target = redrive.deadLetterTargetArn;
      queueTargets.add(target["Fn::GetAtt"][0]);
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: target["Fn::GetAtt"][0] }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: "sqs:SendMessage",
              Principal: { Service: "sns.amazonaws.com" },
              Condition: { ArnEquals: { "aws:SourceArn": { Ref: alertTopicId } } },
            }),
          ]),
        },
      });
    }
    expect(queueTargets.size).toBe(config.subscribers.length);
    const queues = resourcesOfType(template, "AWS::SQS::Queue");
    for (const queueId of queueTargets) {
      expect(propertiesOf(queues, queueId).SqsManagedSseEnabled).toBe(true);
      expect(propertiesOf(queues, queueId).MessageRetentionPeriod).toBe(14 * 24 * 3600);
    }
  });

  it("subscribes the operator's address to the alarm topic, unfiltered", () => {
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Endpoint: OPS_EMAIL,
      Protocol: "email",
      TopicArn: { Ref: logicalIdOf(stack, stack.state.alarmTopic) },
      FilterPolicy: Match.absent(),
    });
  });
});

describe("outputs", () => {
  it("names the table and the topic ARN for the deployer", () => {
    template.hasOutput("TableName", { Value: { Ref: logicalIdOf(stack, stack.state.table) } });
    template.hasOutput("TopicArn", { Value: { Ref: logicalIdOf(stack, stack.state.alertTopic) } });
  });
});
