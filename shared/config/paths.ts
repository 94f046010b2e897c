// Where configs live, for the deploy and the local tools alike.

/** The one config a deploy (and the local tools) read without being told: git-ignored, at the checkout's root. */
export const DEFAULT_CONFIG_PATH = "pact-watch.config.json";
/** Documentation: real feeds, placeholder subscribers. Synthesized by `npm run synth`, never deployed. */
export const EXAMPLE_CONFIG_PATH = "infra/example.config.json";
