// The whole system in one stack, read top to bottom: what must survive, what runs, how we know it
// works, and what a deployer needs to know afterwards.
//
// State and pipeline are two constructs wired by typed props rather than two stacks: a second
// stack would import the subscriber dead-letter queues through CloudFormation exports, and an
// export in use cannot be removed, so deleting a subscriber from the config would fail the deploy.
// Keeping one stack keeps `cdk deploy` one command; RETAIN on the table keeps the data safe anyway.
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { AppConfig } from "#shared/config/schema.ts";
import { SERVICE_NAMES } from "#shared/domain/dispatch-metrics.ts";
import { pollingRate } from "../config.ts";
import { Monitoring } from "../constructs/monitoring.ts";
import { METRICS_NAMESPACE, Pipeline } from "../constructs/pipeline.ts";
import type { LogLevel } from "../constructs/pipeline-function.ts";
import { StatefulResources } from "../constructs/stateful-resources.ts";

export interface PactWatchStackProps extends StackProps {
  /** The validated config (loadDeployConfig). */
  config: AppConfig;
  /** Subscribed to the alarm topic when given. */
  opsEmail?: string;
  logLevel?: LogLevel;
  /** Deploy the CloudWatch dashboard. @default false */
  dashboard?: boolean;
}

export class PactWatchStack extends Stack {
  readonly state: StatefulResources;
  readonly pipeline: Pipeline;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: PactWatchStackProps) {
    super(scope, id, props);
    const { config } = props;

    // What must outlive any deploy: the table, and the topic people subscribed to.
    this.state = new StatefulResources(this, "State", {
      subscribers: config.subscribers,
      opsEmail: props.opsEmail,
    });

    // What runs: poll → table stream → notify → topic, and the daily digest.
    this.pipeline = new Pipeline(this, "Pipeline", {
      config,
      table: this.state.table,
      alertTopic: this.state.alertTopic,
      logLevel: props.logLevel,
    });

    // How we know it still works.
    this.monitoring = new Monitoring(this, "Monitoring", {
      functions: this.pipeline.functions,
      // A failed dispatch reaches no queue (the scheduler invokes it asynchronously, without retries
      // or a destination), and a failed poll batch usually expires before its third receive.
      unqueuedFailures: [this.pipeline.dispatchFeeds, this.pipeline.pollFeeds],
      streamConsumer: this.pipeline.notifySubscribers,
      deadLetters: this.pipeline.deadLetters,
      undelivered: this.state.deliveries.map((delivery) => ({
        label: `Undelivered-${delivery.node.id.replace(/^Subscriber-/, "")}`,
        queue: delivery.deadLetterQueue,
      })),
      alertTopic: this.state.alertTopic,
      alarmTopic: this.state.alarmTopic,
      dashboard: props.dashboard ?? false,
      watchSmsSpend: config.subscribers.some((subscriber) => subscriber.protocol === "sms"),
      feeds: {
        namespace: METRICS_NAMESPACE,
        service: SERVICE_NAMES.dispatch,
        interval: pollingRate(config.polling.every),
        enabled: config.feeds.filter((feed) => feed.enabled).length,
      },
    });

    new CfnOutput(this, "TableName", {
      description: "DynamoDB table with feed state, matched items, stories and the delivery ledger",
      value: this.state.table.tableName,
    });
    new CfnOutput(this, "TopicArn", {
      description: "SNS topic the alerts are published to",
      value: this.state.alertTopic.topicArn,
    });
    new CfnOutput(this, "AlarmTopicArn", {
      description: "SNS topic the CloudWatch alarms notify: subscribe to it to hear about failures",
      value: this.state.alarmTopic.topicArn,
    });
    if (this.monitoring.dashboard) {
      new CfnOutput(this, "DashboardName", { value: this.monitoring.dashboard.dashboardName });
    }
  }
}
