// Which network addresses a feed fetch may reach. A deployed poller reads the public internet only:
// a feed URL (or any redirect, or any DNS answer) pointing at loopback — where Lambda's runtime API
// listens —, the instance metadata service (169.254.169.254), a private or carrier-grade NAT network
// or their IPv6 forms is refused before a byte is sent. The local run (demo server on 127.0.0.1)
// passes LOOPBACK_ALLOWED explicitly. Ranges come from ipaddr.js, not from hand-written parsing.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

export interface AddressPolicy {
  /** Shown in refusals and in the feed doctor. */
  name: string;
  /** 127.0.0.0/8 and ::1 (and the names `localhost`, `*.localhost`). */
  allowLoopback: boolean;
}

/** The deployed poller's policy: public unicast addresses only. */
export const PUBLIC_ONLY: AddressPolicy = { name: "public-only", allowLoopback: false };
/** The local run, tests and the feed doctor: public addresses and this machine's loopback. */
export const LOOPBACK_ALLOWED: AddressPolicy = { name: "public+loopback", allowLoopback: true };

/**
 * When a caller passes no policy: public-only inside Lambda, whatever the wiring forgot; elsewhere
 * loopback is allowed (a library call on a developer's machine, e.g. the conformance driver).
 * The deployed handler and the local wiring both pass theirs explicitly.
 */
export function defaultAddressPolicy(env: NodeJS.ProcessEnv = process.env): AddressPolicy {
  return env.AWS_LAMBDA_FUNCTION_NAME ? PUBLIC_ONLY : LOOPBACK_ALLOWED;
}

/** Error code of a refusal; the fetch maps it to the outcome reason `address-refused`. */
export const ADDRESS_REFUSED = "PACT_ADDRESS_REFUSED";

export class AddressRefusedError extends Error {
  readonly code = ADDRESS_REFUSED;
  override name = "AddressRefusedError";
}

/** The ipaddr.js range an address falls in ("unicast", "loopback", "private", …); IPv4-mapped IPv6 as IPv4. */
export function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

/** Why an IP address is refused under a policy, or undefined when it may be reached. */
export function refusalOf(address: string, policy: AddressPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  const range = addressRange(address);
  if (range === "unicast") return undefined;
  if (range === "loopback" && policy.allowLoopback) return undefined;
  const allowed = policy.allowLoopback ? "public and loopback addresses" : "public addresses";
  return `${address} is a ${range} address; the ${policy.name} policy reads ${allowed} only`;
}

/** Names that are loopback by definition (RFC 6761), whatever a resolver says. */
function isLoopbackName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

/**
 * Checks what a URL's host says without resolving it: an IP literal (the URL parser has already
 * turned `0x7f.1` or `2130706433` into dotted form) or a loopback name. DNS names are checked when
 * they resolve (guardedLookup).
 */
export function urlRefusal(url: string, policy: AddressPolicy): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return `"${url}" is not a URL`;
  }
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(bare)) {
    const why = refusalOf(bare, policy);
    return why && `${url}: ${why}`;
  }
  if (isLoopbackName(bare) && !policy.allowLoopback) {
    return `${url}: ${bare} is a loopback name; the ${policy.name} policy reads public addresses only`;
  }
  return undefined;
}

export type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for the socket connect: resolves as Node would, refuses the host when any of its
 * addresses is refused (a name with one private answer is not a public feed), and hands the socket
 * only addresses it checked, so what is connected to is what was checked.
 */
export function guardedLookup(
  policy: AddressPolicy,
  resolve: LookupFunction = dnsLookup as LookupFunction,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, []);
      const addresses = found as LookupAddress[];
      const refused = addresses
        .map(({ address }) => refusalOf(address, policy))
        .find((why) => why !== undefined);
      if (refused) return callback(new AddressRefusedError(`${hostname} resolves to ${refused}`), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname}: no address`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
