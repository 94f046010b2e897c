// Whole-call retries live in one place: the SDK's standard retry strategy (exponential backoff with
// full jitter, throttling and 5xx classified by the SDK, a retry quota that stops retry storms), set
// here for every AWS client the handlers and the local run create. Our own code retries only what
// the SDK cannot see: SNS PublishBatch entries listed in Failed[] (sns-publisher.ts, with p-retry)
// and conditional-write races (story versions, ledger claims).

/** Attempts per call, the first included: DynamoDB on-demand throttles short bursts; 5 rides them out. */
export const SDK_MAX_ATTEMPTS = 5;

export const SDK_RETRY = { retryMode: "standard", maxAttempts: SDK_MAX_ATTEMPTS } as const;
