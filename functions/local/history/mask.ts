// Endpoints as the history shows them: enough to tell two subscribers apart, not enough to copy.

/** Characters of an email's local part kept in the clear. */
const EMAIL_KEPT = 1;
/** Trailing digits of a phone number kept in the clear. */
const PHONE_KEPT = 2;

export function maskEndpoint(endpoint: string): string {
  const at = endpoint.lastIndexOf("@");
  if (at > 0) return `${endpoint.slice(0, EMAIL_KEPT)}***${endpoint.slice(at)}`;
  const digits = endpoint.replace(/\D/g, "");
  if (digits.length > PHONE_KEPT)
    return `+${"•".repeat(digits.length - PHONE_KEPT)}${digits.slice(-PHONE_KEPT)}`;
  return "***";
}
