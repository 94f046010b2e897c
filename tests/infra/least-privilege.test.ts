// One role per function, each with the table actions its adapters use on the row kinds it touches
// (dynamodb:LeadingKeys), and nothing table-wide: no Scan, no BatchWriteItem, no DescribeTable.
import { afterAll, describe, expect, it } from "vitest";
import type { PipelineFunction } from "#infra/constructs/pipeline-function.ts";
import { ROW_PREFIX, TABLE } from "#shared/table.ts";
import { logicalIdOf, resourcesOfType, synthTemplate } from "./synth.ts";

const synthesized = synthTemplate();
const { template, stack } = synthesized;
afterAll(() => synthesized.dispose());
const { pipeline, state } = stack;
const tableId = logicalIdOf(stack, state.table);

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const policies = Object.values(resourcesOfType(template, "AWS::IAM::Policy"));

/** The role's table statements as "Action Action … on <rows>" lines, sorted: easy to read in a diff. */
function tableGrants(fn: PipelineFunction): string[] {
  const roleId = logicalIdOf(stack, fn.role as never);
  return policies
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith("dynamodb:")))
    .map((s) => {
      const actions = [s.Action]
        .flat()
        .map((a) => a.replace("dynamodb:", ""))
        .sort();
      const resource = JSON.stringify(s.Resource);
      const rows = (s.Condition as { "ForAllValues:StringLike"?: { "dynamodb:LeadingKeys": string[] } })?.[
        "ForAllValues:StringLike"
      ]?.["dynamodb:LeadingKeys"];
      const on = rows
        ? `rows ${rows.join(",")}`
        : resource.includes(`/index/${TABLE.seenIndex.name}`)
          ? `index ${TABLE.seenIndex.name}`
          : resource.includes("StreamArn")
            ? "stream"
            : resource;
      if (rows || on.startsWith("index")) expect(resource).toContain(tableId);
      return `${actions.join(" ")} on ${on}`;
    })
    .sort();
}

describe("least privilege, per role", () => {
  it("dispatcher: reads feed rows, nothing else", () => {
    expect(tableGrants(pipeline.dispatchFeeds)).toEqual([`BatchGetItem on rows ${ROW_PREFIX.feed}*`]);
  });

  it("poll worker: reads and updates feed rows (state, lease), inserts item rows", () => {
    expect(tableGrants(pipeline.pollFeeds)).toEqual([
      `BatchGetItem UpdateItem on rows ${ROW_PREFIX.feed}*`,
      `PutItem on rows ${ROW_PREFIX.item}*`,
    ]);
  });

  it("notifier: marks items, keeps stories and the delivery ledger, reads the stream", () => {
    const grants = tableGrants(pipeline.notifySubscribers);
    expect(grants.filter((g) => !g.endsWith("stream") && !g.startsWith("ListStreams"))).toEqual([
      `DeleteItem PutItem UpdateItem on rows ${ROW_PREFIX.delivery}*`,
      `GetItem PutItem Query on rows ${ROW_PREFIX.stories}*`,
      `GetItem UpdateItem on rows ${ROW_PREFIX.item}*`,
    ]);
    expect(grants.some((g) => g.includes("GetRecords") && g.endsWith("stream"))).toBe(true);
  });

  it("digest: queries the first-seen index, keeps the delivery ledger", () => {
    expect(tableGrants(pipeline.sendDigest)).toEqual([
      `DeleteItem PutItem UpdateItem on rows ${ROW_PREFIX.delivery}*`,
      `Query on index ${TABLE.seenIndex.name}`,
    ]);
  });

  it("no role may scan, batch-write or touch the table's settings", () => {
    const all = pipeline.functions.flatMap(tableGrants).join("\n");
    for (const action of ["Scan", "BatchWriteItem", "DescribeTable", "UpdateTable", "DeleteTable", "*"]) {
      expect(all).not.toMatch(new RegExp(`(^|\\s)${action.replace("*", "\\*")}(\\s|$)`, "m"));
    }
  });

  it("only the dispatcher sends to the poll queue; only the worker receives from it", () => {
    const sqsActionsOf = (fn: PipelineFunction) => {
      const roleId = logicalIdOf(stack, fn.role as never);
      return policies
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((s) => JSON.stringify(s.Resource).includes(logicalIdOf(stack, pipeline.pollQueue)))
        .flatMap((s) => [s.Action].flat())
        .sort();
    };
    expect(sqsActionsOf(pipeline.dispatchFeeds)).toEqual(["sqs:SendMessage"]);
    expect(sqsActionsOf(pipeline.pollFeeds)).toEqual([
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ReceiveMessage",
    ]);
    expect(sqsActionsOf(pipeline.notifySubscribers)).toEqual([]);
    expect(sqsActionsOf(pipeline.sendDigest)).toEqual([]);
  });
});
