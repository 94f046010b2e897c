// `npm run bench -- bundle`: each deployed function's zip size (the bundle directory CDK zips,
// deflated as the asset zip is) and its median module init in fresh Node.js processes, with the
// example config bundled, as wall time and as CPU time (user + system: steadier than wall time on a
// busy machine). The goals are ≤ 300 KiB zipped and ≤ 150 ms init per function.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { deflateRawSync } from "node:zlib";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { EXAMPLE_CONFIG_PATH, loadDeployConfig } from "#infra/config.ts";
import { APP_CONFIG_FILE } from "#infra/constructs/pipeline-function.ts";
import { definePactWatch } from "#infra/define-app.ts";

const run = promisify(execFile);
/** Fresh processes per function; the median of them is printed. */
const RUNS = 7;
/** Zip local header + central directory entry per file, without the name (added per file). */
const ZIP_ENTRY_OVERHEAD = 30 + 46;
const ZIP_END_RECORD = 22;

export async function benchBundle(): Promise<Record<string, number>> {
  const outdir = mkdtempSync(join(tmpdir(), "pact-watch-bench-bundle-"));
  try {
    const app = new App({ outdir });
    const { config } = loadDeployConfig(EXAMPLE_CONFIG_PATH, { allowPlaceholders: true });
    const stack = definePactWatch(app, { config, nag: false });
    const functions = Template.fromStack(stack).findResources("AWS::Lambda::Function") as Record<
      string,
      { Properties: { Code: { S3Key: string } } }
    >;
    const result: Record<string, number> = {};
    for (const fn of stack.pipeline.functions) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
      const key = functions[logicalId]?.Properties.Code.S3Key ?? "";
      const directory = join(outdir, `asset.${key.replace(/\.zip$/, "")}`);
      const zipped = zippedBytes(directory);
      const init = await medianInit(join(directory, "index.mjs"), join(directory, APP_CONFIG_FILE));
      const name = fn.node.id;
      console.log(
        `${name.padEnd(18)} ${(zipped / 1024).toFixed(0).padStart(5)} KiB zipped   ${init.wallMs.toFixed(0).padStart(4)} ms init, ${init.cpuMs.toFixed(0).padStart(4)} ms CPU (medians of ${RUNS})`,
      );
      result[`${name}KiB`] = Math.round(zipped / 1024);
      result[`${name}InitMs`] = Math.round(init.wallMs);
      result[`${name}InitCpuMs`] = Math.round(init.cpuMs);
    }
    return result;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function zippedBytes(directory: string): number {
  let total = ZIP_END_RECORD;
  for (const file of readdirSync(directory)) {
    const compressed = deflateRawSync(readFileSync(join(directory, file)), { level: 9 }).length;
    total += compressed + ZIP_ENTRY_OVERHEAD + 2 * Buffer.byteLength(file);
  }
  return total;
}

async function medianInit(entry: string, configPath: string): Promise<{ wallMs: number; cpuMs: number }> {
  const probe = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(entry).href)}); const wall = performance.now() - t; const cpu = process.cpuUsage(c); console.log(wall, (cpu.user + cpu.system) / 1000);`;
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { stdout } = await run(
      process.execPath,
      // Node options as deployed: none (no --enable-source-maps; the map is not in the zip).
      ["--input-type=module", "-e", probe],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: "us-east-1",
          TABLE_NAME: "bench",
          TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:bench",
          QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/bench",
          APP_CONFIG_PATH: configPath,
          POWERTOOLS_SERVICE_NAME: "bench",
          POWERTOOLS_METRICS_NAMESPACE: "Bench",
        },
      },
    );
    const [wall, cpu] = (stdout.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
    walls.push(wall ?? Number.NaN);
    cpus.push(cpu ?? Number.NaN);
  }
  return { wallMs: median(walls), cpuMs: median(cpus) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
