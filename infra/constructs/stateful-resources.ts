// What outlives any one version of the code: the table (feed state, matched items, stories,
// delivery ledger), the alert topic with the subscriptions people confirmed by email, and the key
// that encrypts the topics. Nothing here depends on the functions; they depend on this.
import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { SubscriberConfig } from "#shared/config/schema.ts";
import { TABLE } from "#shared/table.ts";
import { SubscriberDelivery } from "./subscriber-delivery.ts";

export interface StatefulResourcesProps {
  subscribers: SubscriberConfig[];
  /** Where alarms go; without it the alarm topic exists and can be subscribed to by hand. */
  opsEmail?: string;
}

export class StatefulResources extends Construct {
  readonly table: dynamodb.Table;
  readonly topicKey: kms.Key;
  /** Alerts and digests for subscribers. */
  readonly alertTopic: sns.Topic;
  /** CloudWatch alarms for whoever runs the deployment. */
  readonly alarmTopic: sns.Topic;
  readonly deliveries: SubscriberDelivery[];

  constructor(scope: Construct, id: string, props: StatefulResourcesProps) {
    super(scope, id);

    // One table for every row kind: the layout lives in shared/table.ts, where the adapters and
    // the local run read it too.
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE.ttlAttribute,
      // The stream is the outbox: a matched item's insert is what wakes the notifier.
      stream: dynamodb.StreamViewType[TABLE.streamView],
      // A few thousand writes a day: on-demand costs cents, provisioned capacity would cost dollars.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Feed state and the delivery ledger are what keep subscribers from being alerted twice:
      // deleting the stack must not delete them. Remove the table by hand when you are done.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Stories are keyed by the day of their event; the digest finds the day's new ones here.
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.seenIndex.name,
      partitionKey: { name: TABLE.seenIndex.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.seenIndex.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    this.topicKey = new kms.Key(this, "TopicKey", {
      description: "Encrypts the pact-watch alert and alarm topics",
      enableKeyRotation: true,
      // It only protects messages in flight; a destroyed stack leaves nothing it could decrypt.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes alarms to the encrypted alarm topic as itself, not through a role.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowCloudWatchAlarmsToUseTheKey",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    );

    // Standard, not FIFO: only SQS can subscribe to FIFO topics, and email and SMS are the point.
    // Duplicates are handled upstream by the delivery ledger.
    this.alertTopic = new sns.Topic(this, "AlertTopic", {
      displayName: "Pact Watch",
      masterKey: this.topicKey,
      enforceSSL: true,
    });

    this.alarmTopic = new sns.Topic(this, "AlarmTopic", {
      displayName: "Pact Watch alarms",
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    if (props.opsEmail) {
      new sns.Subscription(this, "OpsEmail", {
        topic: this.alarmTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.opsEmail,
      });
    }

    // A subscription's construct id is its subscriber id: renaming a subscriber replaces the
    // subscription, and an email subscriber must confirm again.
    this.deliveries = props.subscribers.map(
      (subscriber) =>
        new SubscriberDelivery(this, `Subscriber-${subscriber.id}`, { topic: this.alertTopic, subscriber }),
    );
  }
}
