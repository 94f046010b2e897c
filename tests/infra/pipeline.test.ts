// What the stateless half promises: Graviton functions on the newest Node.js runtime with their
// settings in env and their config in the bundle, least-privilege roles, schedules with retries
// and a DLQ, a stream consumer that cannot stall, and alarms for every quiet failure.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Capture, Match, Template } from "aws-cdk-lib/assertions";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { pollTimeout } from "#infra/config.ts";
import { APP_CONFIG_PATH, PipelineFunction } from "#infra/constructs/pipeline-function.ts";
import { keys } from "#shared/table.ts";
import { logicalIdOf, propertiesOf, resourcesOfType, synthTemplate } from "./synth.ts";

const synthesized = synthTemplate();
const { template, stack, config } = synthesized;
afterAll(() => synthesized.dispose());

const { pipeline, state } = stack;
const functionIds = {
  dispatch: logicalIdOf(stack, pipeline.dispatchFeeds),
  poll: logicalIdOf(stack, pipeline.pollFeeds),
  notify: logicalIdOf(stack, pipeline.notifySubscribers),
  digest: logicalIdOf(stack, pipeline.sendDigest),
};
const functions = resourcesOfType(template, "AWS::Lambda::Function");
const environmentOf = (functionId: string) =>
  (propertiesOf(functions, functionId).Environment as { Variables: Record<string, unknown> }).Variables;

describe("functions", () => {
  it("run on arm64 with the newest Node.js runtime", () => {
    expect(Object.keys(functions).sort()).toEqual(Object.values(functionIds).sort());
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      expect(fn.Properties.Handler).toBe("index.handler");
    }
  });

  it("carry Powertools settings and the table and topic they are bound to", () => {
    const tableRef = { Ref: logicalIdOf(stack, state.table) };
    const topicRef = { Ref: logicalIdOf(stack, state.alertTopic) };
    for (const [name, functionId] of Object.entries(functionIds)) {
      expect(environmentOf(functionId)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: expect.any(String),
        POWERTOOLS_METRICS_NAMESPACE: "PactWatch",
        POWERTOOLS_LOG_LEVEL: "INFO",
        TABLE_NAME: tableRef,
      });
      // No --enable-source-maps: the map is not shipped (bundle.test.ts), and loading it costs init.
      expect(environmentOf(functionId).NODE_OPTIONS, name).toBeUndefined();
      expect(environmentOf(functionId).TOPIC_ARN, name).toEqual(
        name === "poll" || name === "dispatch" ? undefined : topicRef,
      );
    }
    const serviceNames = Object.values(functionIds).map((id) => environmentOf(id).POWERTOOLS_SERVICE_NAME);
    expect(new Set(serviceNames).size).toBe(4);
  });

  it("point at the bundled config instead of carrying it in env (4 KB limit)", () => {
    for (const functionId of Object.values(functionIds)) {
      const environment = environmentOf(functionId);
      expect(environment.APP_CONFIG_PATH).toBe(APP_CONFIG_PATH);
      const text = JSON.stringify(environment);
      for (const feed of config.feeds) expect(text).not.toContain(feed.url);
      for (const subscriber of config.subscribers) expect(text).not.toContain(subscriber.endpoint);
    }
  });

  it("give the poller time to finish the feed in flight after its deadline", () => {
    const slowestFeed = Math.max(
      ...config.feeds.map((f) => f.timeoutSeconds ?? config.polling.timeoutSeconds),
    );
    expect(pollTimeout(config).toSeconds()).toBeGreaterThanOrEqual(
      config.polling.deadlineSeconds + slowestFeed,
    );
    expect(propertiesOf(functions, functionIds.poll).Timeout).toBe(pollTimeout(config).toSeconds());
  });

  it("log to their own log group with a retention", () => {
    const logGroups = resourcesOfType(template, "AWS::Logs::LogGroup");
    const used = Object.values(functionIds).map(
      (functionId) =>
        (propertiesOf(functions, functionId).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref,
    );
    expect(new Set(used).size).toBe(4);
    for (const logGroupId of used) expect(propertiesOf(logGroups, logGroupId).RetentionInDays).toBe(30);
  });
});

describe("least privilege", () => {
  const policies = Object.values(resourcesOfType(template, "AWS::IAM::Policy"));
  type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
  const statementsOf = (roleLogicalId: string): Statement[] =>
    policies
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleLogicalId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const actionsOf = (statement: Statement) => [statement.Action].flat();
  const roleIdOf = (fn: typeof pipeline.pollFeeds) => logicalIdOf(stack, fn.role as never);

  it("grants no wildcard action anywhere", () => {
    const actions = policies.flatMap((p) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.flatMap(actionsOf),
    );
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).not.toMatch(/\*/);
  });

  it("scopes every table statement to the table or its stream", () => {
    const tableId = logicalIdOf(stack, state.table);
    for (const fn of pipeline.functions) {
      const tableStatements = statementsOf(roleIdOf(fn)).filter((s) =>
        actionsOf(s).some((a) => a.startsWith("dynamodb:") && a !== "dynamodb:ListStreams"),
      );
      expect(tableStatements.length, fn.node.id).toBeGreaterThan(0);
      for (const statement of tableStatements) expect(JSON.stringify(statement.Resource)).toContain(tableId);
    }
  });

  it("lets only the notifier and the digest publish, and only to the alert topic", () => {
    const alertTopic = { Ref: logicalIdOf(stack, state.alertTopic) };
    const publishers = pipeline.functions.filter((fn) =>
      statementsOf(roleIdOf(fn)).some((s) => actionsOf(s).includes("sns:Publish")),
    );
    expect(publishers.map((fn) => fn.node.id).sort()).toEqual(["NotifySubscribers", "SendDigest"]);
    for (const fn of publishers) {
      const publish = statementsOf(roleIdOf(fn)).filter((s) => actionsOf(s).includes("sns:Publish"));
      expect(publish.map((s) => s.Resource)).toEqual([alertTopic]);
    }
  });

  it("uses its own roles without the managed AWSLambdaBasicExecutionRole", () => {
    for (const role of Object.values(resourcesOfType(template, "AWS::IAM::Role"))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe("schedules", () => {
  it("dispatches at the configured rate, retries briefly and dead-letters what it cannot deliver", () => {
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: `rate(${config.polling.every})`,
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: {
        Arn: { "Fn::GetAtt": [functionIds.dispatch, "Arn"] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
        DeadLetterConfig: { Arn: { "Fn::GetAtt": [logicalIdOf(stack, pipeline.deadLetters), "Arn"] } },
      },
    });
  });

  it("sends the digest daily at the configured hour in the configured time zone", () => {
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: `cron(0 ${config.digest.hour} * * ? *)`,
      ScheduleExpressionTimezone: config.digest.timeZone,
      Target: Match.objectLike({
        Arn: { "Fn::GetAtt": [functionIds.digest, "Arn"] },
        DeadLetterConfig: Match.anyValue(),
      }),
    });
  });

  it("does not let Lambda retry a failed dispatch on top of the scheduler's retries", () => {
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: functionIds.dispatch },
      MaximumRetryAttempts: 0,
    });
  });
});

describe("stream consumer", () => {
  it("reads the table stream with finite retries, bisection, partial failures and a failure queue", () => {
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 2);
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: functionIds.notify },
      EventSourceArn: { "Fn::GetAtt": [logicalIdOf(stack, state.table), "StreamArn"] },
      StartingPosition: "TRIM_HORIZON",
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: Match.anyValue(),
      MaximumRecordAgeInSeconds: Match.anyValue(),
      BatchSize: Match.anyValue(),
      DestinationConfig: {
        OnFailure: {
          Destination: { "Fn::GetAtt": [logicalIdOf(stack, pipeline.deadLetters), "Arn"] },
        },
      },
    });
    const mapping = Object.values(resourcesOfType(template, "AWS::Lambda::EventSourceMapping")).find((m) =>
      JSON.stringify(m.Properties.FunctionName).includes(functionIds.notify),
    );
    const retries = mapping?.Properties.MaximumRetryAttempts as number;
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(retries).toBeLessThanOrEqual(10);
    expect(mapping?.Properties.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
  });

  it("is invoked only for inserts of matched items", () => {
    const pattern = new Capture();
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FilterCriteria: { Filters: [{ Pattern: pattern }] },
    });
    expect(JSON.parse(pattern.asString())).toEqual({
      eventName: ["INSERT"],
      dynamodb: { Keys: { pk: { S: [{ prefix: keys.item("").pk }] } } },
    });
  });
});

describe("alarms", () => {
  const alarms = Object.values(resourcesOfType(template, "AWS::CloudWatch::Alarm"));
  const alarmTopic = { Ref: logicalIdOf(stack, state.alarmTopic) };
  const alarmsOn = (metricName: string) => alarms.filter((a) => a.Properties.MetricName === metricName);

  it("alarm on errors of the functions whose failures no dead-letter queue catches", () => {
    // The notifier's and the digest's failures are retried, then dead-lettered (next test).
    const watched = alarmsOn("Errors").map((a) => JSON.stringify(a.Properties.Dimensions));
    expect(watched).toHaveLength(2);
    for (const functionId of [functionIds.dispatch, functionIds.poll]) {
      expect(watched.some((dimensions) => dimensions.includes(functionId))).toBe(true);
    }
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: functionIds.dispatch },
      MaximumRetryAttempts: 0,
      DestinationConfig: Match.absent(),
    });
  });

  it("send everything the pipeline gives up on to one dead-letter queue, under one alarm", () => {
    const deadLetters = { "Fn::GetAtt": [logicalIdOf(stack, pipeline.deadLetters), "Arn"] };
    const queues = resourcesOfType(template, "AWS::SQS::Queue");
    // The poll queue's redrive, both schedules, the digest's on-failure and the stream's on-failure.
    expect(propertiesOf(queues, logicalIdOf(stack, pipeline.pollQueue)).RedrivePolicy).toMatchObject({
      deadLetterTargetArn: deadLetters,
    });
    const schedules = Object.values(resourcesOfType(template, "AWS::Scheduler::Schedule"));
    expect(schedules).toHaveLength(2);
    for (const schedule of schedules) {
      expect(schedule.Properties.Target).toMatchObject({ DeadLetterConfig: { Arn: deadLetters } });
    }
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: functionIds.digest },
      DestinationConfig: { OnFailure: { Destination: deadLetters } },
    });
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: functionIds.notify },
      DestinationConfig: { OnFailure: { Destination: deadLetters } },
    });
    // The poll queue, the shared dead-letter queue, and one per subscriber.
    expect(Object.keys(queues)).toHaveLength(2 + config.subscribers.length);
    const watched = alarmsOn("ApproximateNumberOfMessagesVisible");
    expect(watched).toHaveLength(1);
    expect(JSON.stringify(watched[0]?.Properties.Dimensions)).toContain(
      logicalIdOf(stack, pipeline.deadLetters),
    );
  });

  it("cover each subscriber's dead-letter queue by the topic's failed-delivery alarm", () => {
    // SNS counts a failed notification to email or SMS when it stops trying, which is when it
    // moves the message to the subscription's dead-letter queue.
    const failed = alarmsOn("NumberOfNotificationsFailed");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.Properties.Dimensions).toEqual([
      { Name: "TopicName", Value: { "Fn::GetAtt": [logicalIdOf(stack, state.alertTopic), "TopicName"] } },
    ]);
    const subscriptions = Object.values(resourcesOfType(template, "AWS::SNS::Subscription")).filter((s) =>
      JSON.stringify(s.Properties.TopicArn).includes(logicalIdOf(stack, state.alertTopic)),
    );
    expect(subscriptions).toHaveLength(config.subscribers.length);
    for (const subscription of subscriptions) {
      expect(JSON.stringify(subscription.Properties.RedrivePolicy)).toContain("deadLetterTargetArn");
    }
  });

  it("alarm on SNS delivery failures and on stream iterator age", () => {
    expect(alarmsOn("NumberOfNotificationsFailed")).toHaveLength(1);
    const iteratorAge = alarmsOn("IteratorAge");
    expect(iteratorAge).toHaveLength(1);
    expect(JSON.stringify(iteratorAge[0]?.Properties.Dimensions)).toContain(functionIds.notify);
  });

  it("alarm before the SMS spend limit silently stops SMS", () => {
    expect(config.subscribers.some((s) => s.protocol === "sms")).toBe(true);
    expect(alarmsOn("SMSMonthToDateSpentUSD")).toHaveLength(1);
  });

  it("notify the alarm topic, on alarm and on recovery", () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([alarmTopic]);
      expect(alarm.Properties.OKActions).toEqual([alarmTopic]);
    }
  });
});

describe("dashboard", () => {
  it("is left out unless asked for: it costs USD 3.00 a month and no alarm needs it", () => {
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 0);
    expect(Object.keys(template.findOutputs("DashboardName"))).toEqual([]);
  });

  it("with -c dashboard=true: one dashboard without a hard-coded name, and its name as an output", () => {
    const withDashboard = synthTemplate({ dashboard: true });
    try {
      withDashboard.template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
      withDashboard.template.hasResourceProperties("AWS::CloudWatch::Dashboard", {
        DashboardName: Match.absent(),
      });
      expect(Object.keys(withDashboard.template.findOutputs("DashboardName"))).toHaveLength(1);
      // The alarms are the same either way.
      expect(withDashboard.template.toJSON().Resources).toMatchObject(
        template.findResources("AWS::CloudWatch::Alarm"),
      );
    } finally {
      withDashboard.dispose();
    }
  });
});

describe("PipelineFunction", () => {
  // A lone function in a scratch stack: the house construct's own promises, apart from the app.
  const outdir = mkdtempSync(join(tmpdir(), "pact-watch-function-test-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir, context: { "aws:cdk:bundling-stacks": [] } });
  const scratch = new Stack(app, "Scratch");
  const table = new dynamodb.Table(scratch, "Table", {
    partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
  });
  const fn = new PipelineFunction(scratch, "Reader", {
    entry: fileURLToPath(new URL("../../functions/send-digest/handler.ts", import.meta.url)),
    appConfig: config,
    serviceName: "reader",
    metricsNamespace: "Scratch",
    environment: { EXTRA_SETTING: "kept", POWERTOOLS_LOG_LEVEL: "DEBUG" },
  }).bindRows(table, ["FEED#"], ["GetItem", "Query"]);
  const scratchTemplate = Template.fromStack(scratch);

  it("merges the caller's environment into the defaults instead of replacing them", () => {
    scratchTemplate.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: {
          EXTRA_SETTING: "kept",
          POWERTOOLS_LOG_LEVEL: "DEBUG",
          POWERTOOLS_SERVICE_NAME: "reader",
          POWERTOOLS_METRICS_NAMESPACE: "Scratch",
          APP_CONFIG_PATH,
          TABLE_NAME: { Ref: scratch.getLogicalId(table.node.defaultChild as never) },
        },
      },
    });
    expect(fn.runtime.name).toBe("nodejs24.x");
  });

  it("grants read access without a single write action when bound for reading", () => {
    const actions = Object.values(resourcesOfType(scratchTemplate, "AWS::IAM::Policy")).flatMap((policy) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
        (statement) => [statement.Action].flat(),
      ),
    );
    expect(actions).toContain("dynamodb:GetItem");
    expect(actions).toContain("dynamodb:Query");
    for (const write of [
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem",
    ]) {
      expect(actions).not.toContain(write);
    }
  });
});
