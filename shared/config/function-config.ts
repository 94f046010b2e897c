// What a deployed function is given: the validated config minus what it does not use. Subscribers
// carry their routing fields but never their endpoint (SNS holds those, in the subscriptions), and a
// function receives only the subscribers it routes for.
import * as z from "zod";
import { readsDigest, receivesAlerts } from "../domain/subscriptions.ts";
import { issueLines } from "../domain/validation.ts";
import { readJson } from "./load.ts";
import { type AppConfig, AppConfigSchema, ConfigError, SubscriberConfigSchema } from "./schema.ts";

/** A subscriber as a function sees it: everything but the endpoint. */
export const RoutingSubscriberSchema = z
  .object(SubscriberConfigSchema.shape)
  .omit({ endpoint: true })
  .strict();

export const FunctionConfigSchema = z
  .object({ ...AppConfigSchema.shape, subscribers: z.array(RoutingSubscriberSchema).default([]) })
  .strict();

export type RoutingSubscriber = z.infer<typeof RoutingSubscriberSchema>;
export type FunctionConfig = z.infer<typeof FunctionConfigSchema>;

/** The deployed functions, by what they need from the subscribers. */
export type FunctionRole = "poll" | "notify" | "digest";

const SUBSCRIBERS_USED: Record<FunctionRole, (subscriber: RoutingSubscriber) => boolean> = {
  // The poller stores matches; it routes nothing.
  poll: () => false,
  notify: receivesAlerts,
  digest: readsDigest,
};

/** The config one function is bundled with. */
export function functionConfigFor(config: AppConfig, role: FunctionRole): FunctionConfig {
  const subscribers = config.subscribers
    .filter(SUBSCRIBERS_USED[role])
    .map(({ endpoint: _endpoint, ...routing }) => routing);
  return { ...config, subscribers };
}

/** Reads a bundled function config; a bad file is a ConfigError naming it. */
export function loadFunctionConfig(path: string): FunctionConfig {
  const result = FunctionConfigSchema.safeParse(readJson(path, "bundled config"));
  if (result.success) return result.data;
  throw new ConfigError(`Invalid bundled config ${path}:`, issueLines(result.error));
}
