import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigFile, MAX_CONFIG_BYTES } from "#shared/config/load.ts";
import { ConfigError, parseConfig } from "#shared/config/schema.ts";

describe("parseConfig", () => {
  it("fills defaults for a minimal config", () => {
    const config = parseConfig({
      feeds: [{ id: "a", url: "https://example.com/rss" }],
      subscribers: [{ id: "me", protocol: "email", endpoint: "me@example.com" }],
    });
    expect(config.polling.timeoutSeconds).toBe(15);
    expect(config.subscribers[0]?.minSeverity).toBe("normal");
    expect(config.stories.windowHours).toBe(36);
    expect(config.alerts.maxAgeHours).toBe(48);
  });

  it("lists every problem with its path", () => {
    const attempt = () =>
      parseConfig({
        feeds: [
          { id: "a", url: "ftp://example.com/rss" },
          { id: "a", url: "https://example.com/2" },
        ],
        subscribers: [{ id: "p", protocol: "sms", endpoint: "555-1234" }],
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const problems = (err as ConfigError).problems.join("\n");
      expect(problems).toContain("feeds.0.url");
      expect(problems).toContain('duplicate id "a"');
      expect(problems).toContain("subscribers.0.endpoint: SMS endpoints are E.164");
    }
  });

  it("rejects unknown fields so typos do not pass silently", () => {
    expect(() => parseConfig({ feeds: [{ id: "a", url: "https://x.org/", offical: true }] })).toThrow(
      /offical/,
    );
  });
});

describe("a hostile or oversized config file", () => {
  const withFile = (text: string, check: (path: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), "pact-watch-config-"));
    try {
      const path = join(dir, "config.json");
      writeFileSync(path, text);
      check(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const problemsOf = (path: string): string => {
    try {
      loadConfigFile(path);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return `${(err as ConfigError).message}\n${(err as ConfigError).problems.join("\n")}`;
    }
    throw new Error("the config was accepted");
  };

  it("refuses a file over the size limit before parsing it", () => {
    const feeds = Array.from({ length: 20_000 }, (_, i) => ({
      id: `f${i}`,
      url: `https://f${i}.example/rss`,
    }));
    const text = JSON.stringify({ feeds, padding: "x".repeat(MAX_CONFIG_BYTES) });
    withFile(text, (path) => {
      const problems = problemsOf(path);
      expect(problems).toContain("too large");
      expect(problems).toContain(`at most ${MAX_CONFIG_BYTES}`);
    });
  });

  it("names every hostile field: script and file URLs, prototype keys, bidi and control characters", () => {
    const text = String.raw`{
      "feeds": [
        { "id": "a", "url": "javascript:alert(1)" },
        { "id": "b", "url": "file:///etc/passwd" },
        { "id": "c", "url": "https://c.example/rss", "name": "Evil\u202e news\n" },
        { "id": "../d", "url": "https://d.example/rss" }
      ],
      "subscribers": [
        { "id": "e", "protocol": "email", "endpoint": "me@example.com\r\nBcc: all@example.com" },
        { "id": "s", "protocol": "sms", "endpoint": "+1555\u202e0100" }
      ],
      "__proto__": { "polluted": true }
    }`;
    withFile(text, (path) => {
      const problems = problemsOf(path);
      for (const field of [
        "feeds.0.url",
        "feeds.1.url",
        "feeds.2.name",
        "feeds.3.id",
        "subscribers.0.endpoint",
        "subscribers.1.endpoint",
        "__proto__",
      ]) {
        expect(problems).toContain(field);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
