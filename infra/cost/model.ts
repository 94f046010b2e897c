// The monthly bill of a deployment, from list prices (prices.json), what the synthesized template
// holds (memory sizes, alarms, custom metrics, keys, dashboards) and how feeds behave
// (workload.json). Pure arithmetic: the CLI (cost.ts) reads the three and prints the table.

export type Prices = typeof import("./prices.json");
export type Workload = Omit<typeof import("./workload.json"), "note">;

/** What the cost depends on in the synthesized template. */
export interface TemplateFacts {
  dispatcherMemoryMb: number;
  workerMemoryMb: number;
  /** Poll batches one worker invocation takes (the event source's BatchSize). */
  batchesPerInvocation: number;
  /** Metrics watched by alarms (one per alarm, more for metric math). */
  alarmMetrics: number;
  /** Distinct custom metrics in the pipeline's namespace. */
  customMetrics: number;
  /** Of those, the ones sent only in ticks where they are above zero (billed by the hour sent). */
  customMetricsSentOnProblem: number;
  kmsKeys: number;
  dashboards: number;
}

export interface Scenario {
  feeds: number;
  intervalMinutes: number;
  /** From the example config: its feeds per distinct host. */
  feedsPerHost: number;
  maxFeedsPerBatch: number;
  hostConcurrency: number;
}

export type CostLine = { item: string; usd: number; freeUsd: number };

const MONTH_MINUTES = 30 * 24 * 60;
/** Read units per state row of 4 KB or less: the dispatcher reads eventually consistent (half a unit). */
const DISPATCH_READ_UNITS = 0.5;
/** The worker reads the state it polls from strongly consistent (one unit). */
const WORKER_READ_UNITS = 1;
const MILLION = 1_000_000;

/** Each line's list price, and the same after the always-free allowances (freeUsd ≤ usd). */
export function monthlyCost(s: Scenario, t: TemplateFacts, p: Prices, w: Workload): CostLine[] {
  const ticks = MONTH_MINUTES / s.intervalMinutes;
  const polls = s.feeds * ticks;
  const hosts = Math.ceil(s.feeds / s.feedsPerHost);
  const batchesPerTick = Math.max(hosts, Math.ceil(s.feeds / s.maxFeedsPerBatch));
  const feedsPerBatch = s.feeds / batchesPerTick;
  const workerInvocationsPerTick = Math.ceil(batchesPerTick / t.batchesPerInvocation);

  // Lambda: the dispatcher once a tick; a worker invocation lasts as long as its slowest host.
  const dispatchSeconds =
    w.dispatchBaseSeconds + w.dispatchSecondsPerFeed * s.feeds + w.coldStartShare * w.initSeconds;
  const workerSeconds =
    Math.ceil(feedsPerBatch / s.hostConcurrency) * w.fetchSeconds +
    w.workerOverheadSeconds +
    w.coldStartShare * w.initSeconds;
  const invocations = ticks * (1 + workerInvocationsPerTick);
  const gbSeconds =
    ticks *
    (dispatchSeconds * (t.dispatcherMemoryMb / 1024) +
      workerInvocationsPerTick * workerSeconds * (t.workerMemoryMb / 1024));
  const lambdaUsd = gbSeconds * p.lambda.armGbSecond + (invocations / MILLION) * p.lambda.perMillionRequests;
  const lambdaFree =
    Math.max(0, gbSeconds - p.lambda.freeGbSeconds) * p.lambda.armGbSecond +
    (Math.max(0, invocations - p.lambda.freeRequests) / MILLION) * p.lambda.perMillionRequests;

  // DynamoDB: per poll the dispatcher's and the worker's state reads, the lease write, and a state
  // write only when the feed changed (issue 13: no state write when nothing changed).
  const rowUnits = Math.max(1, Math.ceil(w.stateRowKb));
  const reads = polls * (DISPATCH_READ_UNITS + WORKER_READ_UNITS);
  const writes = polls * rowUnits * (1 + w.changedShare) + w.matchedItemsPerMonth * 2;
  const dynamoRequests =
    (reads / MILLION) * p.dynamodb.perMillionReadUnits + (writes / MILLION) * p.dynamodb.perMillionWriteUnits;
  const storage = w.tableGb * (p.dynamodb.storagePerGbMonth + p.dynamodb.pitrPerGbMonth);
  const storageFree =
    Math.max(0, w.tableGb - p.dynamodb.freeStorageGb) * p.dynamodb.storagePerGbMonth +
    w.tableGb * p.dynamodb.pitrPerGbMonth;

  // SQS: a send per ten batches, a receive and a delete per invocation, and the event source's
  // long polls of an idle queue.
  const sqsRequests =
    ticks * (Math.ceil(batchesPerTick / 10) + 2 * workerInvocationsPerTick) + w.esmEmptyReceivesPerMonth;
  const sqsUsd = (sqsRequests / MILLION) * p.sqs.perMillionRequests;
  const sqsFree = (Math.max(0, sqsRequests - p.sqs.freeRequests) / MILLION) * p.sqs.perMillionRequests;

  const logGb = (polls * w.logBytesPerFeedPoll + invocations * w.logBytesPerInvocation) / 1024 ** 3;
  const cw = p.cloudwatch;
  const paid = (count: number, free: number, price: number) => Math.max(0, count - free) * price;
  // Metrics billed by the hours they receive data: those sent only with a problem, in those hours.
  const billedMetrics =
    t.customMetrics - t.customMetricsSentOnProblem + t.customMetricsSentOnProblem * w.problemHourShare;

  return [
    { item: "Lambda (dispatcher + workers)", usd: lambdaUsd, freeUsd: lambdaFree },
    { item: "DynamoDB requests", usd: dynamoRequests, freeUsd: dynamoRequests },
    { item: "DynamoDB storage + PITR", usd: storage, freeUsd: storageFree },
    { item: "SQS requests", usd: sqsUsd, freeUsd: sqsFree },
    { item: "EventBridge Scheduler", usd: (ticks / MILLION) * p.scheduler.perMillionInvocations, freeUsd: 0 },
    {
      item: `CloudWatch alarms (${t.alarmMetrics})`,
      usd: t.alarmMetrics * cw.perAlarmMetricMonth,
      freeUsd: paid(t.alarmMetrics, cw.freeAlarmMetrics, cw.perAlarmMetricMonth),
    },
    {
      item: `CloudWatch custom metrics (${t.customMetrics}, ${t.customMetricsSentOnProblem} sent only with a problem)`,
      usd: billedMetrics * cw.perCustomMetricMonth,
      freeUsd: paid(billedMetrics, cw.freeCustomMetrics, cw.perCustomMetricMonth),
    },
    {
      item: `CloudWatch dashboards (${t.dashboards})`,
      usd: t.dashboards * cw.perDashboardMonth,
      freeUsd: paid(t.dashboards, cw.freeDashboards, cw.perDashboardMonth),
    },
    {
      item: "CloudWatch Logs ingestion",
      usd: logGb * cw.logsIngestedPerGb,
      freeUsd: Math.max(0, logGb - cw.freeLogsGb) * cw.logsIngestedPerGb,
    },
    {
      item: `KMS keys (${t.kmsKeys})`,
      usd: t.kmsKeys * p.kms.perKeyMonth,
      freeUsd: t.kmsKeys * p.kms.perKeyMonth,
    },
  ];
}

export function total(lines: CostLine[], pick: "usd" | "freeUsd"): number {
  return lines.reduce((sum, line) => sum + line[pick], 0);
}
