// How the person running this learns that alerts stopped: an alarm for each way the pipeline can
// fail quietly, sent to the alarm topic, and, when asked for, one dashboard to look at when one fires.
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { DISPATCH_METRICS } from "#shared/domain/dispatch-metrics.ts";
import type { PipelineFunction } from "./pipeline-function.ts";

export interface MonitoringProps {
  functions: PipelineFunction[];
  /**
   * The functions whose errors get an alarm of their own: those whose failures reach no dead-letter
   * queue. The others' failures are retried and, when the retries do not fix them, dead-lettered
   * into `deadLetters`, whose alarm is the signal (a retry that worked needs no one woken).
   */
  unqueuedFailures: PipelineFunction[];
  /** The function fed by the table stream. */
  streamConsumer: PipelineFunction;
  /** The pipeline's one dead-letter and on-failure queue: a message in it is something lost or late. */
  deadLetters: sqs.IQueue;
  /**
   * Each subscriber's queue of what SNS gave up delivering. Graphed, not alarmed one by one:
   * AlertDeliveryFailures counts every message SNS stops trying to deliver to email or SMS, which
   * is every message that lands in these queues.
   */
  undelivered: { label: string; queue: sqs.IQueue }[];
  alertTopic: sns.ITopic;
  alarmTopic: sns.ITopic;
  /** Add the dashboard: USD 3.00 a month for graphs; no alarm depends on it. */
  dashboard: boolean;
  /** Watch the account's SMS spend (only worth it when someone gets SMS). */
  watchSmsSpend: boolean;
  /** The dispatcher's feed counts, published once a tick (shared/domain/dispatch-metrics.ts). */
  feeds: {
    namespace: string;
    /** The dispatcher's Powertools service name: the metrics' `service` dimension. */
    service: string;
    interval: Duration;
    /** Enabled feeds in the config: the failing share is counted against it. */
    enabled: number;
  };
}

/** The window, in intervals, over which FeedsFailing looks for failing feeds or a missing count. */
export const FAILING_WINDOW_INTERVALS = 3;
/** Intervals in that window that must be bad: one bad tick is noise, two in three are not. */
export const FAILING_INTERVALS_TO_ALARM = 2;
/** Half the feeds failing at once is the pipeline's trouble (a blocked User-Agent, DNS), not theirs. */
export const FAILING_SHARE = 0.5;
/** A feed overdue for two ticks in a row is starving, not merely late once. */
export const OVERDUE_INTERVALS = 2;
/** CloudWatch evaluates at most a day of periods. */
const MAX_ALARM_WINDOW_SECONDS = 86_400;

const PERIOD = Duration.minutes(5);
/** Stream records older than this mean alerts are late by as much. */
const MAX_ITERATOR_AGE = Duration.minutes(5);
/** New accounts may spend USD 1.00 a month on SMS; past it SNS stops sending without an error. */
const SMS_SPEND_WARNING_USD = 0.8;

export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Only with `dashboard: true`. */
  readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { streamConsumer, deadLetters, alertTopic, alarmTopic } = props;
    const notify = new SnsAction(alarmTopic);

    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        // No data means nothing ran or nothing failed; neither is an incident.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };

    // The worker reports feed trouble as data, not errors; an error of the dispatcher or the worker
    // is a bug or an outage of DynamoDB or SQS, worth hearing about the first time.
    for (const fn of props.unqueuedFailures) {
      alarm(`${fn.node.id}Errors`, {
        alarmDescription: `${fn.node.id} threw: check its log group`,
        metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }

    alarm("DeadLetters", {
      alarmDescription:
        "A scheduled run, poll batch, digest or stream batch failed for good: read the DeadLetters queue",
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // Also the alarm for the subscribers' dead-letter queues (see `undelivered`).
    alarm("AlertDeliveryFailures", {
      alarmDescription:
        "SNS gave up delivering alerts (bounced email, blocked or opted-out number): read the subscriber's Undelivered queue",
      metric: alertTopic.metricNumberOfNotificationsFailed({
        period: PERIOD,
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    const iteratorAge = streamConsumer.metric("IteratorAge", {
      period: PERIOD,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    alarm("StreamIteratorAge", {
      alarmDescription: "The notifier is falling behind the table stream: alerts are late",
      metric: iteratorAge,
      threshold: MAX_ITERATOR_AGE.toMilliseconds(),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    this.feedAlarms(props, alarm);

    // Throttled functions fail quietly: the queue or the scheduler holds the work back and retries.
    // Lambda's account-wide count is one metric for all four functions (an alarm per function
    // would cost four); a throttle elsewhere in the account raises it too, which is worth knowing.
    // DynamoDB throttling is retried by the SDK and, past its retries, is a function error above.
    alarm("Throttles", {
      alarmDescription:
        "Lambda throttled invocations in this account and region: polls or alerts are held back",
      metric: lambda.Function.metricAllThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    if (props.watchSmsSpend) {
      alarm("SmsSpend", {
        alarmDescription: `SMS spend this month passed USD ${SMS_SPEND_WARNING_USD}; raise the account's SMS limit or SMS stops`,
        metric: new cloudwatch.Metric({
          namespace: "AWS/SNS",
          metricName: "SMSMonthToDateSpentUSD",
          period: PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: SMS_SPEND_WARNING_USD,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }

    if (props.dashboard) this.dashboard = this.addDashboard(props, iteratorAge);
  }

  /** Graphs of what the alarms watch, and the alarms' state: for looking, not for being told. */
  private addDashboard(props: MonitoringProps, iteratorAge: cloudwatch.IMetric): cloudwatch.Dashboard {
    const { functions, deadLetters, undelivered, alertTopic } = props;
    const dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      defaultInterval: Duration.days(1),
    });
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms: this.alarms, width: 24 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Invocations",
        left: functions.map((fn) => fn.metricInvocations({ period: PERIOD, label: fn.node.id })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Errors",
        left: functions.map((fn) => fn.metricErrors({ period: PERIOD, label: fn.node.id })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Duration (p95)",
        left: functions.map((fn) =>
          fn.metricDuration({ period: PERIOD, statistic: "p95", label: fn.node.id }),
        ),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Alerts published and delivered",
        left: [
          alertTopic.metricNumberOfMessagesPublished({ period: PERIOD, label: "published" }),
          alertTopic.metricNumberOfNotificationsDelivered({ period: PERIOD, label: "delivered" }),
          alertTopic.metricNumberOfNotificationsFailed({ period: PERIOD, label: "failed" }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Stream iterator age (ms)",
        left: [iteratorAge],
        leftAnnotations: [{ value: MAX_ITERATOR_AGE.toMilliseconds(), label: "alarm" }],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Dead-letter queues",
        left: [{ label: "DeadLetters", queue: deadLetters }, ...undelivered].map(({ label, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: cloudwatch.Stats.MAXIMUM,
            label,
          }),
        ),
        width: 8,
      }),
    );
    return dashboard;
  }

  /** The quiet ways polling fails: many or all feeds failing or nothing polled, unhealthy, overdue. */
  private feedAlarms(
    props: MonitoringProps,
    alarm: (alarmId: string, alarmProps: cloudwatch.AlarmProps) => cloudwatch.Alarm,
  ): void {
    const { namespace, service, interval, enabled } = props.feeds;
    const count = (metricName: string, evaluationPeriods: number) =>
      new cloudwatch.Metric({
        namespace,
        metricName,
        dimensionsMap: { service },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: alarmPeriod(interval, evaluationPeriods),
      });
    const atLeast = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

    // Also "no successful poll": every feed failing is half of them failing too, and no count at all
    // (no dispatch ran) is breaching, so a separate alarm on the same metric would add nothing.
    alarm("FeedsFailing", {
      alarmDescription: `At least ${Math.round(FAILING_SHARE * 100)}% of the feeds failed their last poll, or the dispatcher published no count, in ${FAILING_INTERVALS_TO_ALARM} of ${FAILING_WINDOW_INTERVALS} intervals`,
      metric: count(DISPATCH_METRICS.failing, FAILING_WINDOW_INTERVALS),
      threshold: Math.max(1, Math.ceil(FAILING_SHARE * enabled)),
      comparisonOperator: atLeast,
      evaluationPeriods: FAILING_WINDOW_INTERVALS,
      datapointsToAlarm: FAILING_INTERVALS_TO_ALARM,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm("FeedsUnhealthy", {
      alarmDescription:
        "A feed has failed long enough to be unhealthy: see the dispatcher's log and `npm run feed`",
      metric: count(DISPATCH_METRICS.unhealthy, 1),
      threshold: 1,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });
    alarm("FeedsOverdue", {
      alarmDescription: `Feeds went unpolled for ${OVERDUE_INTERVALS} intervals in a row: raise polling.workers or poll less often`,
      metric: count(DISPATCH_METRICS.overdue, OVERDUE_INTERVALS),
      threshold: 1,
      comparisonOperator: atLeast,
      evaluationPeriods: OVERDUE_INTERVALS,
    });
  }
}

/** One period per polling interval, shortened so that the alarm's window fits in CloudWatch's day. */
export function alarmPeriod(interval: Duration, evaluationPeriods: number): Duration {
  const longest = Math.floor(MAX_ALARM_WINDOW_SECONDS / evaluationPeriods / 60) * 60;
  return Duration.seconds(Math.max(60, Math.min(interval.toSeconds(), longest)));
}
