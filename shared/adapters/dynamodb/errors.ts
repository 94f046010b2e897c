import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";

export function isConditionFailure(err: unknown): err is ConditionalCheckFailedException {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err as { name?: string } | undefined)?.name === "ConditionalCheckFailedException"
  );
}

/** Runs a conditional write: true when it was applied, false when its condition did not hold. */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
