// The SDK's own retry strategy (same error classification, attempts and retry quota) with its waits
// cut short: a suite that injects hundreds of throttles then runs in seconds, not minutes, while
// every retry still goes through the SDK exactly as in production.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Each SDK backoff is divided by this (a 500 ms throttling wait becomes 20 ms). */
const BACKOFF_DIVISOR = 25;

interface RetryToken {
  getRetryDelay(): number;
}

interface RetryStrategy {
  refreshRetryTokenForRetry(token: RetryToken, error: unknown): Promise<RetryToken>;
}

export function shortenSdkBackoff(client: DynamoDBClient): void {
  const config = client.config as unknown as { retryStrategy: () => Promise<RetryStrategy> };
  const original = config.retryStrategy;
  let wrapped: Promise<RetryStrategy> | undefined;
  config.retryStrategy = () => {
    wrapped ??= original().then((strategy) => {
      const refresh = strategy.refreshRetryTokenForRetry.bind(strategy);
      return Object.assign(Object.create(strategy) as RetryStrategy, {
        async refreshRetryTokenForRetry(token: RetryToken, error: unknown) {
          const next = await refresh(token, error);
          const delay = Math.ceil(next.getRetryDelay() / BACKOFF_DIVISOR);
          return Object.assign(Object.create(next) as RetryToken, { getRetryDelay: () => delay });
        },
      });
    });
    return wrapped;
  };
}
