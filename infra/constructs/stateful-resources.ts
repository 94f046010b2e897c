// What outlives any one version of the code: the table (feed state, matched items, stories,
// delivery ledger), the alert topic with the subscriptions people confirmed by email, and the
// alarm topic. Nothing here depends on the functions; they depend on this.
import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { SubscriberConfig } from "#shared/config/schema.ts";
import { TABLE } from "#shared/table.ts";
import { SubscriberDelivery } from "./subscriber-delivery.ts";

/** The key SNS manages for every account: no monthly charge. */
export const SNS_MANAGED_KEY_ALIAS = "alias/aws/sns";

export interface StatefulResourcesProps {
  subscribers: SubscriberConfig[];
  /** Where alarms go; without it the alarm topic exists and can be subscribed to by hand. */
  opsEmail?: string;
}

export class StatefulResources extends Construct {
  readonly table: dynamodb.Table;
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

    // SNS's own key (alias/aws/sns) encrypts the alert topic at no monthly cost: a customer key
    // costs USD 1.00 a month, a third of the budget at 100 feeds, and protects only news headlines
    // in flight. Its key policy lets this account's principals use it through SNS, so publishers
    // need no key grant.
    const snsManagedKey = kms.Alias.fromAliasName(this, "SnsManagedKey", SNS_MANAGED_KEY_ALIAS);
    // Standard, not FIFO: only SQS can subscribe to FIFO topics, and email and SMS are the point.
    // Duplicates are handled upstream by the delivery ledger.
    this.alertTopic = new sns.Topic(this, "AlertTopic", {
      displayName: "Pact Watch",
      masterKey: snsManagedKey,
      enforceSSL: true,
    });

    // CloudWatch can publish only to a topic without encryption or with a customer key; an alarm
    // says which alarm changed state and carries no subscriber or news data, so it goes unencrypted
    // (over TLS only) rather than costing a key.
    this.alarmTopic = new sns.Topic(this, "AlarmTopic", {
      displayName: "Pact Watch alarms",
      enforceSSL: true,
    });
    Validations.of(this.alarmTopic).acknowledge({
      id: "AwsSolutions-SNS2",
      reason:
        "CloudWatch alarms cannot publish to a topic under SNS's managed key; alarm messages carry alarm names and metric values only, and publishing requires TLS.",
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
