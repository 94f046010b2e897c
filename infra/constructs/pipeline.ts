// The stateless half: three functions and what sets them off. Poll on a schedule, notify when the
// poller's outbox insert lands on the table stream, send a digest once a day. Everything here can
// be destroyed and redeployed without losing a matched item or alerting anyone twice.
import { fileURLToPath } from "node:url";
import { type CfnElement, Duration, Stack, TimeZone, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as destinations from "aws-cdk-lib/aws-lambda-destinations";
import { DynamoEventSource, SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { functionConfigFor } from "#shared/config/function-config.ts";
import type { AppConfig } from "#shared/config/schema.ts";
import { POLL_BATCHES_PER_INVOCATION } from "#shared/domain/dispatch.ts";
import { SERVICE_NAMES } from "#shared/domain/dispatch-metrics.ts";
import { keys, ROW_PREFIX, TABLE } from "#shared/table.ts";
import { pollingRate, pollTimeout } from "../config.ts";
import { type LogLevel, PipelineFunction } from "./pipeline-function.ts";

export const METRICS_NAMESPACE = "PactWatch";
/** Queue visibility timeout in worker timeouts (Lambda's advice for SQS event sources). */
const VISIBILITY_TIMEOUTS = 6;
/** SQS's ceiling for a visibility timeout. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;
/** Deliveries of a poll batch before it is dead-lettered. */
const POLL_RECEIVES = 3;

export interface PipelineProps {
  config: AppConfig;
  table: dynamodb.ITable;
  alertTopic: sns.ITopic;
  /** @default "INFO" */
  logLevel?: LogLevel;
}

const entry = (functionName: string) =>
  fileURLToPath(new URL(`../../functions/${functionName}/handler.ts`, import.meta.url));

export class Pipeline extends Construct {
  readonly dispatchFeeds: PipelineFunction;
  /** The poll worker: drains the poll queue. */
  readonly pollFeeds: PipelineFunction;
  /** Poll batches from the dispatcher to the workers. */
  readonly pollQueue: sqs.Queue;
  readonly notifySubscribers: PipelineFunction;
  readonly sendDigest: PipelineFunction;
  readonly pollSchedule: scheduler.Schedule;
  readonly digestSchedule: scheduler.Schedule;
  /**
   * Everything the pipeline gave up on, in one queue under one alarm (each queue would need an alarm
   * of its own): scheduled runs that failed for good, poll batches that failed thrice, digests that
   * failed their retries, and stream batches the notifier gave up on. Each message says where it came
   * from: a poll batch carries the poll queue's ARN (DeadLetterQueueSourceArn), a Lambda failure
   * record its function's ARN and, for the stream, the shard range to replay; a scheduler message
   * its target's ARN in its attributes.
   */
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const { config, table, alertTopic, logLevel } = props;
    const shared = { metricsNamespace: METRICS_NAMESPACE, logLevel };

    this.deadLetters = this.failureQueue("DeadLetters");
    // One role for both schedules, ours rather than generated, so it can only be assumed on
    // behalf of this account and its findings can be acknowledged by name.
    const scheduleRole = new iam.Role(this, "ScheduleRole", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
      description: "Lets EventBridge Scheduler invoke the pact-watch poller and digest",
    });

    // 1. Poll. The schedule wakes the dispatcher, which puts the due feeds on a queue, least
    // recently polled first and one host's feeds per message; workers drain it with a concurrency
    // limit, each feed under a lease so no two workers poll it at once (shared/domain/dispatch.ts).
    const pollEvery = pollingRate(config.polling.every);
    const workerTimeout = pollTimeout(config);
    this.pollQueue = new sqs.Queue(this, "PollQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's advice for queue event sources: six times the function timeout, so a message is
      // not handed to a second worker while the first may still run (the lease guards it too).
      visibilityTimeout: Duration.seconds(
        Math.min(workerTimeout.toSeconds() * VISIBILITY_TIMEOUTS, MAX_VISIBILITY_SECONDS),
      ),
      // Older than an interval, a message is stale: the next dispatch has sent its feeds again.
      retentionPeriod: clamp(pollEvery, Duration.minutes(1), Duration.days(14)),
      // A message that fails three times (a bug, an outage of the table) goes where the alarm sees it.
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: POLL_RECEIVES },
    });

    // The dispatcher and the poll workers route nothing: one config without subscribers serves both.
    const pollConfig = functionConfigFor(config, "poll");
    this.dispatchFeeds = new PipelineFunction(this, "DispatchFeeds", {
      ...shared,
      appConfig: pollConfig,
      entry: entry("dispatch-feeds"),
      serviceName: SERVICE_NAMES.dispatch,
      description: "Sends the due feeds to the poll queue, least recently polled first",
      memorySize: 256,
      // Reading 5,000 feed states and sending 200 messages takes seconds.
      timeout: Duration.seconds(60),
      // A failed dispatch is retried by the scheduler; a Lambda retry on top would only duplicate it.
      retryAttempts: 0,
      environment: { QUEUE_URL: this.pollQueue.queueUrl },
    }).bindRows(table, [ROW_PREFIX.feed], ["BatchGetItem"]);
    iam.Grant.addToPrincipal({
      grantee: this.dispatchFeeds,
      actions: ["sqs:SendMessage"],
      resourceArns: [this.pollQueue.queueArn],
    });

    this.pollFeeds = new PipelineFunction(this, "PollFeeds", {
      ...shared,
      appConfig: pollConfig,
      entry: entry("poll-feeds"),
      serviceName: SERVICE_NAMES.poll,
      description: "Polls one host's batch of feeds and stores matched items",
      // Five hosts' feeds, two at a time each: the bundle and ten feeds in flight fit in 256 MB.
      memorySize: 256,
      // Also the lease: a worker cannot outlive it.
      timeout: workerTimeout,
    })
      // Reads states, takes leases and writes states by conditional update; inserts items only.
      .bindRows(table, [ROW_PREFIX.feed], ["BatchGetItem", "UpdateItem"])
      .bindRows(table, [ROW_PREFIX.item], ["PutItem"]);
    this.pollFeeds.addEventSource(
      new SqsEventSource(this.pollQueue, {
        batchSize: POLL_BATCHES_PER_INVOCATION,
        maxConcurrency: config.polling.workers,
        reportBatchItemFailures: true,
      }),
    );

    this.pollSchedule = new scheduler.Schedule(this, "PollSchedule", {
      description: `Dispatches the feeds every ${config.polling.every}`,
      schedule: scheduler.ScheduleExpression.rate(pollEvery),
      target: new LambdaInvoke(this.dispatchFeeds, {
        role: scheduleRole,
        // Retrying past the next tick is pointless: that tick dispatches the same feeds.
        retryAttempts: 2,
        maxEventAge: clamp(pollEvery, Duration.minutes(1), Duration.days(1)),
        deadLetterQueue: this.deadLetters,
      }),
    });

    // 2. Notify. Only a matched item's first insert starts an alert; feed state, stories and the
    // delivery ledger change the table too, and must not invoke anything.
    this.notifySubscribers = new PipelineFunction(this, "NotifySubscribers", {
      ...shared,
      appConfig: functionConfigFor(config, "notify"),
      entry: entry("notify-subscribers"),
      serviceName: SERVICE_NAMES.notify,
      description: "Groups new matched items into stories and publishes alerts",
      // A claim held by a crashed attempt is waited out (up to the 60 s delivery lease) before the
      // batch's remaining records go on, so the timeout leaves room for that and 25 items.
      timeout: Duration.minutes(5),
    })
      // Marks items processed; opens and updates stories; claims, completes and releases deliveries.
      .bindRows(table, [ROW_PREFIX.item], ["GetItem", "UpdateItem"])
      .bindRows(table, [ROW_PREFIX.stories], ["Query", "GetItem", "PutItem"])
      .bindRows(table, [ROW_PREFIX.delivery], ["PutItem", "UpdateItem", "DeleteItem"])
      .bindTopic(alertTopic);

    this.notifySubscribers.addEventSource(
      new DynamoEventSource(table, {
        // From the oldest record still on the stream: an item stored while the mapping was being
        // replaced is alerted late rather than never (the delivery ledger drops any repeat).
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual("INSERT"),
            dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith(keys.item("").pk) } } },
          }),
        ],
        // Items of one poll arrive close together; seeing them in one batch groups them into one story.
        batchSize: 25,
        maxBatchingWindow: Duration.seconds(5),
        // One bad record is retried alone (the handler reports it), and a poison batch is split
        // until the record that fails is isolated, instead of blocking the shard.
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        // Stream retries are infinite by default: a poison record would stall every alert behind it.
        retryAttempts: 5,
        // An outage shorter than a day delays alerts instead of dropping them.
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.deadLetters),
      }),
    );
    if (this.notifySubscribers.role) {
      Validations.of(this.notifySubscribers.role).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "dynamodb:ListStreams, granted by the stream event source, has no resource-level permissions; every other statement names its table, stream, topic or key.",
      });
    }

    // 3. Digest. One email a day with the day's stories, at the configured local hour.
    this.sendDigest = new PipelineFunction(this, "SendDigest", {
      ...shared,
      appConfig: functionConfigFor(config, "digest"),
      entry: entry("send-digest"),
      serviceName: SERVICE_NAMES.digest,
      description: "Publishes the daily digest of stories",
      timeout: Duration.seconds(60),
      // Unlike a poll, a failed digest has no next tick the same day.
      retryAttempts: 2,
      onFailure: new destinations.SqsDestination(this.deadLetters),
    })
      // Reads the day's stories through their index; claims, completes and releases deliveries.
      .bindIndex(table, TABLE.seenIndex.name, ["Query"])
      .bindRows(table, [ROW_PREFIX.delivery], ["PutItem", "UpdateItem", "DeleteItem"])
      .bindTopic(alertTopic);

    this.digestSchedule = new scheduler.Schedule(this, "DigestSchedule", {
      description: `Sends the daily digest at ${config.digest.hour}:00 ${config.digest.timeZone}`,
      // Scheduler evaluates cron in the zone itself, so the digest follows daylight saving time.
      schedule: scheduler.ScheduleExpression.cron({
        minute: "0",
        hour: String(config.digest.hour),
        timeZone: TimeZone.of(config.digest.timeZone),
      }),
      target: new LambdaInvoke(this.sendDigest, {
        role: scheduleRole,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.deadLetters,
      }),
    });

    // LambdaInvoke grants lambda:InvokeFunction on the function and on `<arn>:*` (its versions and
    // aliases). The wildcard stays within these two functions.
    for (const fn of [this.dispatchFeeds, this.sendDigest]) {
      const logicalId = Stack.of(this).getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(scheduleRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `Scheduler may invoke any version or alias of ${fn.node.id}, and nothing else.`,
      });
    }
  }

  private failureQueue(id: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time to notice the alarm and replay what failed.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself a dead-letter / on-failure destination; an alarm watches it.",
    });
    return queue;
  }

  get functions(): PipelineFunction[] {
    return [this.dispatchFeeds, this.pollFeeds, this.notifySubscribers, this.sendDigest];
  }
}

function clamp(value: Duration, min: Duration, max: Duration): Duration {
  const seconds = Math.min(Math.max(value.toSeconds(), min.toSeconds()), max.toSeconds());
  return Duration.seconds(seconds);
}
