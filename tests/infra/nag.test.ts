// The whole app passes the AWS Solutions checks with no finding left unanswered, and the answers
// are specific enough that a new finding still fails. (CDK's CloudFormation schema validation runs
// in `npm run synth`; here it would triple the time of this file.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp } from "./synth.ts";

interface ValidationReport {
  pluginReports: { pluginName: string; violations?: { ruleName: string; severity: string }[] }[];
}

describe("cdk-nag AwsSolutions", () => {
  const clean = buildTestApp({ nag: true });
  afterAll(() => clean.dispose());

  it("synthesizes the whole app with no unacknowledged finding of any severity", () => {
    expect(() => clean.app.synth()).not.toThrow();
    const report = JSON.parse(
      readFileSync(join(clean.outdir, "validation-report.json"), "utf8"),
    ) as ValidationReport;
    const findings = report.pluginReports.flatMap((plugin) =>
      (plugin.violations ?? []).map((violation) => `${plugin.pluginName}: ${violation.ruleName}`),
    );
    expect(findings).toEqual([]);
  });

  it("gives every acknowledgement a real reason", () => {
    const acknowledgements = clean.app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [ruleId, reason] of acknowledgements) {
      expect(ruleId).toMatch(/AwsSolutions-/);
      expect(reason.split(" ").length, ruleId).toBeGreaterThanOrEqual(8);
    }
  });

  it("still fails the synth on a wildcard nobody acknowledged", () => {
    const tainted = buildTestApp({ nag: true });
    try {
      tainted.stack.pipeline.pollFeeds.addToRolePolicy(
        new iam.PolicyStatement({ actions: ["sns:*"], resources: [tainted.stack.state.alertTopic.topicArn] }),
      );
      expect(() => tainted.app.synth()).toThrow(/AwsSolutions-IAM5\[Action::sns:\*\]/);
    } finally {
      tainted.dispose();
    }
  });
});
