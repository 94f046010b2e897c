// One subscriber from the config: an SNS subscription that lets through only what the subscriber
// asked for, and a queue that keeps what SNS could not deliver.
import { Duration, Validations } from "aws-cdk-lib";
import * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { SubscriberConfig } from "#shared/config/schema.ts";
import { filterPolicyFor } from "#shared/domain/subscriptions.ts";

export interface SubscriberDeliveryProps {
  topic: sns.ITopic;
  subscriber: SubscriberConfig;
}

export class SubscriberDelivery extends Construct {
  readonly subscription: sns.Subscription;
  /** Messages SNS gave up on after its 50 retries over 6 hours (a bounced address, a carrier block). */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: SubscriberDeliveryProps) {
    super(scope, id);
    const { topic, subscriber } = props;

    this.deadLetterQueue = new sqs.Queue(this, "Undelivered", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time to notice the alarm, fix the endpoint and read what was missed.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself the dead-letter queue of an SNS subscription; nothing reads it automatically.",
    });

    this.subscription = new sns.Subscription(this, "Subscription", {
      topic,
      protocol:
        subscriber.protocol === "email" ? sns.SubscriptionProtocol.EMAIL : sns.SubscriptionProtocol.SMS,
      endpoint: subscriber.endpoint,
      deadLetterQueue: this.deadLetterQueue,
    });

    // The policy uses "$or" and numeric conditions, which the L2 filter types cannot express;
    // the same function drives the local sink, so `npm start` routes exactly as SNS will.
    const cfnSubscription = this.subscription.node.defaultChild as sns.CfnSubscription;
    cfnSubscription.filterPolicy = filterPolicyFor(subscriber);
    cfnSubscription.filterPolicyScope = "MessageAttributes";
  }
}
