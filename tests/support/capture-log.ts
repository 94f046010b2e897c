// A Log that keeps every line as JSON, so suites can check what the handlers would write to CloudWatch.
import type { Log } from "#shared/ports.ts";

export interface CapturedLog extends Log {
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const line =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      lines.push(JSON.stringify({ level, message, ...Object.assign({}, ...extra) }));
    };
  return { lines, debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}
