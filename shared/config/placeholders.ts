// Endpoints and URLs that only ever stand in for real ones: documentation domains (RFC 2606) and
// the North American numbers reserved for fiction. The local run may keep them (its sink never
// sends); a deployment must not, or SNS would mail and text them.
import type { AppConfig } from "./schema.ts";

/** Second-level domains reserved for documentation (RFC 2606 §3), and their subdomains. */
const EXAMPLE_DOMAINS = ["example.com", "example.org", "example.net"];
/** Top-level names reserved so they never resolve (RFC 2606 §2). `.test` is the test fixtures'. */
const EXAMPLE_TLDS = ["example", "invalid"];
/** +1 NXX 555-0100 … 555-0199: the NANP block set aside for films and books. */
const FICTIONAL_NANP = /^\+1\d{3}55501\d{2}$/;

export function isPlaceholderHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  if (EXAMPLE_DOMAINS.some((domain) => name === domain || name.endsWith(`.${domain}`))) return true;
  const tld = name.split(".").pop() ?? "";
  return EXAMPLE_TLDS.includes(tld);
}

export function isPlaceholderEmail(address: string): boolean {
  const at = address.lastIndexOf("@");
  return at > 0 && isPlaceholderHost(address.slice(at + 1));
}

export function isPlaceholderPhone(number: string): boolean {
  return FICTIONAL_NANP.test(number.replace(/[\s().-]/g, ""));
}

export function isPlaceholderUrl(url: string): boolean {
  try {
    return isPlaceholderHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Every placeholder in a config, as "path: why" lines; empty when it is fit to deploy. */
export function placeholderProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  config.subscribers.forEach((subscriber, index) => {
    const placeholder =
      subscriber.protocol === "email"
        ? isPlaceholderEmail(subscriber.endpoint)
        : isPlaceholderPhone(subscriber.endpoint);
    if (placeholder) {
      problems.push(
        `subscribers.${index}.endpoint: "${subscriber.endpoint}" (${subscriber.id}) is a placeholder; ` +
          `put your own ${subscriber.protocol === "email" ? "address" : "E.164 number"} here or remove the subscriber`,
      );
    }
  });
  config.feeds.forEach((feed, index) => {
    if (isPlaceholderUrl(feed.url)) {
      problems.push(`feeds.${index}.url: "${feed.url}" (${feed.id}) is a placeholder address, not a feed`);
    }
  });
  return problems;
}
