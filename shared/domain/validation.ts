// How a failed validation is told, the same for every document the project reads (config, watch
// list, language data, bundled function config): one line per problem, led by its path.
import type * as z from "zod";

export function issueLines(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}
