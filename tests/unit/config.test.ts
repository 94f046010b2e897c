import { describe, expect, it } from "vitest";
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
