const DIGITS = /^[0-9]+$/;

/**
 * Whether a received changeVersion is older than the stored one (out-of-order delivery: ignore
 * it). Protime documents the field as an integer that grows with each change, and sends it as a
 * number or a string: as text "10" would sort before "9", so two versions of digits only compare
 * as numbers (of any length). Anything else compares as text, as the API brief says.
 */
export function isOlderVersion(received: string, stored: string): boolean {
  if (DIGITS.test(received) && DIGITS.test(stored)) {
    const a = received.replace(/^0+(?=.)/, '');
    const b = stored.replace(/^0+(?=.)/, '');
    return a.length !== b.length ? a.length < b.length : a < b;
  }
  return received < stored;
}
