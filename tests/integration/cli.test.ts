// `npm start` as a user runs it: a real process, its exit codes and its clean-up.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "pact-cli-"));

function runCli(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", "functions/local/cli.ts", ...args], {
    env: { ...process.env, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (d: Buffer) => {
    text += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    text += d.toString();
  });
  const exit = new Promise<number | null>((done) =>
    child.on("exit", (code, signal) => done(code ?? (signal ? 128 : null))),
  );
  return { child, output: () => text, exit };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

describe("npm start", () => {
  it("exits 2 and lists every problem of a bad config, starting nothing", async () => {
    const config = join(dir, "bad.json");
    writeFileSync(
      config,
      JSON.stringify({
        feeds: [{ id: "x", url: "ftp://example.com/feed" }],
        subscribers: [{ id: "p", protocol: "sms", endpoint: "12345" }],
      }),
    );

    const run = runCli(["--config", config, "--outbox", join(dir, "o.jsonl")]);

    expect(await run.exit).toBe(2);
    expect(run.output()).toContain("feeds.0.url");
    expect(run.output()).toContain("subscribers.0.endpoint");
    expect(run.output()).not.toContain("Polling");
  });

  it("exits 2 on an option it does not know", async () => {
    const run = runCli(["--evry", "5m"]);

    expect(await run.exit).toBe(2);
    expect(run.output()).toContain("Usage: npm start");
  });

  it("keeps polling with --every and stops DynamoDB Local and the feed server on Ctrl-C", async () => {
    const run = runCli(["--every", "1h", "--outbox", join(dir, "every.jsonl")]);
    const deadline = Date.now() + 90_000;
    while (!run.output().includes("Next poll in 1h") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const ddbPort = Number(/DynamoDB Local\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(run.output())?.[1]);
    const feedPort = Number(/Feed server\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(run.output())?.[1]);
    expect(run.output()).toContain("Summary");
    expect(await portAnswers(ddbPort)).toBe(true);

    run.child.kill("SIGINT");

    expect(await run.exit).toBe(130);
    expect(run.output()).toContain("stopping DynamoDB Local");
    expect(await portAnswers(ddbPort)).toBe(false);
    expect(await portAnswers(feedPort)).toBe(false);
    // Its own wait above allows 90 s for the first cycle on a loaded machine; the test must outlast it.
  }, 150_000);
});
