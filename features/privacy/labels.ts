/** What an erased customer's record and redacted texts read (browser-safe: the pages show them). */
export const ERASED_CUSTOMER_NAME = "Erased customer";
export const ERASED_TEXT = "[erased]";

/** A unique account number that says nothing about the person (the row id is no personal data). */
export function erasedAccountNumber(customerId: string): string {
  return `ERASED-${customerId}`;
}
