import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";

export function isConditionFailure(err: unknown): err is ConditionalCheckFailedException {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err as { name?: string } | undefined)?.name === "ConditionalCheckFailedException"
  );
}
