// Everything `cdk synth` builds, in one call the entry point and the tests share: the stack and the
// cdk-nag checks that must pass before anything is deployed.
import { type App, CfnRule, Fn, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { AppConfig } from "#shared/config/schema.ts";
import type { LogLevel } from "./constructs/pipeline-function.ts";
import { PactWatchStack } from "./stacks/pact-watch-stack.ts";

export const STACK_ID = "PactWatch";

export interface PactWatchAppOptions {
  config: AppConfig;
  opsEmail?: string;
  logLevel?: LogLevel;
  /** Deploy the CloudWatch dashboard (USD 3.00 a month; the alarms work without it). @default false */
  dashboard?: boolean;
  /** Run the AWS Solutions checks at synth. @default true */
  nag?: boolean;
  /**
   * A check, not a deployment (placeholder endpoints were let through): the template carries a
   * rule CloudFormation evaluates before creating anything, and it always fails. @default false
   */
  synthOnly?: boolean;
}

export const SYNTH_ONLY_RULE_ID = "SynthOnlyNotDeployable";

export function definePactWatch(app: App, options: PactWatchAppOptions): PactWatchStack {
  if (options.nag !== false) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new PactWatchStack(app, STACK_ID, {
    description: "pact-watch: news alerts on the Russia–North Korea partnership (RSS → DynamoDB → SNS)",
    config: options.config,
    opsEmail: options.opsEmail,
    logLevel: options.logLevel,
    dashboard: options.dashboard ?? false,
  });
  if (options.synthOnly) {
    new CfnRule(stack, SYNTH_ONLY_RULE_ID, {
      assertions: [
        {
          assert: Fn.conditionEquals("synth-only", "deployable"),
          assertDescription:
            "Synthesized with -c synthOnly=true (placeholder subscribers allowed): deploy with your own config instead.",
        },
      ],
    });
  }
  return stack;
}
