// Faults at the SDK boundary of a real DynamoDB client: a middleware inside the SDK's retry loop, so
// the client's own retry strategy meets them exactly as it would meet DynamoDB's.
//  - throttle:    ThrottlingException before the request is sent (DynamoDB did nothing)
//  - server-error: a 500 before the request is sent (DynamoDB did nothing)
//  - lost-answer: the request is applied, then its answer is lost as a 500 (the retry meets its own write)
import { type DynamoDBClient, InternalServerError, ThrottlingException } from "@aws-sdk/client-dynamodb";
import type { Random } from "#functions/local/seeded-random.ts";

export type DynamoFault = "throttle" | "server-error" | "lost-answer";

export interface DynamoFaultPlan {
  /** Share of calls that fail, 0..1. */
  rate: number;
  random: Random;
  kinds: DynamoFault[];
  /** Only these operations (e.g. "PutItemCommand"); all when absent. */
  commands?: string[];
  /** At most this many faults in all. */
  limit?: number;
}

export interface DynamoFaultLog {
  injected: Record<DynamoFault, number>;
  calls: number;
  /** Stop injecting (recovery). */
  stop(): void;
}

const MIDDLEWARE_NAME = "faultInjection";

export function injectDynamoFaults(client: DynamoDBClient, plan: DynamoFaultPlan): DynamoFaultLog {
  const log: DynamoFaultLog = {
    injected: { throttle: 0, "server-error": 0, "lost-answer": 0 },
    calls: 0,
    stop: () => {
      active = false;
    },
  };
  let active = true;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      log.calls++;
      const command = context.commandName ?? "";
      const injectedSoFar = Object.values(log.injected).reduce((a, b) => a + b, 0);
      const eligible =
        active &&
        injectedSoFar < (plan.limit ?? Number.POSITIVE_INFINITY) &&
        (!plan.commands || plan.commands.includes(command));
      if (!eligible || plan.random() >= plan.rate) return next(args);
      const kind = plan.kinds[Math.floor(plan.random() * plan.kinds.length)] ?? "throttle";
      log.injected[kind]++;
      if (kind === "throttle") {
        throw new ThrottlingException({
          message: `injected throttling on ${command}`,
          $metadata: { httpStatusCode: 400 },
        });
      }
      const serverError = () =>
        new InternalServerError({
          message: `injected 500 on ${command}`,
          $metadata: { httpStatusCode: 500 },
        });
      if (kind === "server-error") throw serverError();
      await next(args);
      throw serverError();
    },
    // After the retry middleware (finalizeRequest, high priority): each attempt passes through here.
    { step: "finalizeRequest", priority: "low", name: MIDDLEWARE_NAME },
  );
  return log;
}
