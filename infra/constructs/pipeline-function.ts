// The one Lambda function shape of the pipeline: every function gets the same runtime, bundle and
// logging, and reaches the table and topic through helpers that grant exactly what it asks for.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Duration, RemovalPolicy, Stage } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import {
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
  SourceMapMode,
} from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import type { FunctionConfig } from "#shared/config/function-config.ts";

/** Name of the validated config inside every bundle. */
export const APP_CONFIG_FILE = "app-config.json";
/** Where the handler finds it: Lambda unpacks the bundle in /var/task. */
export const APP_CONFIG_PATH = `/var/task/${APP_CONFIG_FILE}`;
/** Where each function's source map is kept, inside the cloud assembly but outside its zip. */
export const SOURCE_MAP_DIR = "source-maps";

// rss-parser and some of its dependencies are CommonJS and call require(); an ESM bundle has no
// require of its own, so it gets one.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __pactCreateRequire } from 'node:module';const require = __pactCreateRequire(import.meta.url);";

/** The item-level DynamoDB actions the adapters use; nothing table-wide (Scan, BatchWriteItem, …). */
export type DynamoAction = "GetItem" | "BatchGetItem" | "Query" | "PutItem" | "UpdateItem" | "DeleteItem";
export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

export interface PipelineFunctionProps
  extends Omit<
    NodejsFunctionProps,
    "runtime" | "architecture" | "bundling" | "logGroup" | "role" | "handler"
  > {
  /** The handler module; it must export `handler`. */
  entry: string;
  /**
   * The validated config as this function needs it (functionConfigFor), shipped inside the bundle
   * (env vars cap at 4 KB in total): no subscriber endpoint ever goes into a zip.
   */
  appConfig: FunctionConfig;
  /** POWERTOOLS_SERVICE_NAME: one per function, so logs and metrics say which one spoke. */
  serviceName: string;
  /** POWERTOOLS_METRICS_NAMESPACE, shared by the whole pipeline. */
  metricsNamespace: string;
  /** @default "INFO" */
  logLevel?: LogLevel;
  /** @default one month: enough to investigate a missed alert, cheap to keep. */
  logRetention?: logs.RetentionDays;
}

export class PipelineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const {
      appConfig,
      serviceName,
      metricsNamespace,
      logLevel = "INFO",
      logRetention = logs.RetentionDays.ONE_MONTH,
      environment,
      ...functionProps
    } = props;

    // Created up front so retention is ours (Lambda's implicit group keeps logs forever) and so
    // the role can be granted this one group instead of the managed AWSLambdaBasicExecutionRole.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: logRetention,
      // Operational logs, not data: a destroyed stack should not leave them behind.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs the ${serviceName} function`,
    });

    const configFile = writeBundledConfig(scope, appConfig);
    const sourceMapFile = sourceMapPathFor(scope, id);

    super(scope, id, {
      memorySize: 256,
      timeout: Duration.seconds(30),
      ...functionProps,
      // The newest Node.js runtime Lambda offers, on Graviton: cheaper per GB-second.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: "handler",
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        POWERTOOLS_LOG_LEVEL: logLevel,
        APP_CONFIG_PATH,
        ...environment,
      },
      bundling: {
        // Bundled with the project's own esbuild: no Docker on the build machine.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        mainFields: ["module", "main"],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        // The map is half of a zip and --enable-source-maps slows every cold start, so neither
        // ships: stack traces in the logs name index.mjs line:column, which the map kept in the
        // cloud assembly (source-maps/, moved there below) turns into TypeScript lines.
        sourceMap: true,
        sourceMapMode: SourceMapMode.EXTERNAL,
        sourcesContent: false,
        // The SDK is bundled at the version the tests ran against, not whatever the runtime ships.
        externalModules: [],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `cp ${shellQuote(configFile)} ${shellQuote(join(outputDir, APP_CONFIG_FILE))}`,
            `mv ${shellQuote(join(outputDir, "index.mjs.map"))} ${shellQuote(sourceMapFile)}`,
          ],
        },
      },
    });

    logGroup.grantWrite(role);
  }

  /**
   * Grants these actions on the table's rows whose partition key starts with one of `rows`
   * (dynamodb:LeadingKeys), and tells the function the table's name. Call once per row kind set.
   */
  bindRows(table: dynamodb.ITable, rows: readonly string[], actions: readonly DynamoAction[]): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
        conditions: {
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": rows.map((prefix) => `${prefix}*`) },
        },
      }),
    );
    this.addEnvironment("TABLE_NAME", table.tableName);
    return this;
  }

  /** Grants a read on one index (its partition key is not a row kind, so no LeadingKeys). */
  bindIndex(table: dynamodb.ITable, indexName: string, actions: readonly ("Query" | "GetItem")[]): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [`${table.tableArn}/index/${indexName}`],
      }),
    );
    this.addEnvironment("TABLE_NAME", table.tableName);
    return this;
  }

  /** Grants publish (and the topic key's use) and tells the function the topic ARN. */
  bindTopic(topic: sns.ITopic): this {
    // Written out instead of topic.grantPublish(), whose key grant asks for kms:GenerateDataKey*:
    // publishing to an encrypted topic needs exactly these two key actions.
    iam.Grant.addToPrincipal({ grantee: this, actions: ["sns:Publish"], resourceArns: [topic.topicArn] });
    topic.masterKey?.grant(this, "kms:GenerateDataKey", "kms:Decrypt");
    this.addEnvironment("TOPIC_ARN", topic.topicArn);
    return this;
  }
}

/**
 * Writes the validated config (defaults filled in) into the cloud assembly directory once per
 * content; the bundles copy it from there. Named by its hash so two configs never collide.
 */
function writeBundledConfig(scope: Construct, config: FunctionConfig): string {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const directory = join(Stage.of(scope)?.outdir ?? "cdk.out", "app-config");
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `app-config.${digest}.json`);
  writeFileSync(file, text);
  return file;
}

/** A function's source map in SOURCE_MAP_DIR: named by its construct path ("Stack/Pipeline/Poll"). */
export function sourceMapFileName(constructPath: string): string {
  return `${constructPath.replace(/[^\w.-]/g, "_")}.mjs.map`;
}

function sourceMapPathFor(scope: Construct, id: string): string {
  const directory = join(Stage.of(scope)?.outdir ?? "cdk.out", SOURCE_MAP_DIR);
  mkdirSync(directory, { recursive: true });
  return join(directory, sourceMapFileName(`${scope.node.path}/${id}`));
}

function shellQuote(path: string): string {
  return `'${path.replaceAll("'", `'\\''`)}'`;
}
