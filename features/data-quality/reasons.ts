/**
 * The vocabulary of data quality: every reason code bulk validation gives a contact, with the
 * verdict it implies and the words supervisors read. One copy, used by validation (which assigns
 * them), cleansing (which acts on them), campaigns (which select by them), the report (which counts
 * them) and the identity panel (which shows the latest). Codes are stored in
 * CustomerEmail.validityReasons / CustomerPhone.validityReasons; never rename one.
 */

export type Validity = "valid" | "doubtful" | "invalid";

type ReasonDefinition = { readonly validity: Validity; readonly label: string; readonly channel: "email" | "phone" };

export const REASONS = {
  // Email
  email_syntax: { channel: "email", validity: "invalid", label: "Not a deliverable address (syntax)" },
  email_domain_not_found: { channel: "email", validity: "invalid", label: "Domain does not exist" },
  email_no_mail_host: { channel: "email", validity: "invalid", label: "Domain accepts no mail (no MX, A or AAAA)" },
  email_dns_unanswered: { channel: "email", validity: "doubtful", label: "Domain could not be checked (DNS timed out)" },
  email_disposable: { channel: "email", validity: "doubtful", label: "Disposable address" },
  email_role_address: { channel: "email", validity: "doubtful", label: "Role address (info@, sales@…), not a person" },
  email_likely_typo: { channel: "email", validity: "doubtful", label: "Likely a typo of a common provider" },
  email_bouncing: { channel: "email", validity: "invalid", label: "Mail to it bounces" },
  email_complained: { channel: "email", validity: "doubtful", label: "Marked our mail as spam" },
  email_needs_tidying: { channel: "email", validity: "valid", label: "Needs tidying (spaces, upper-case domain)" },
  email_duplicate: { channel: "email", validity: "doubtful", label: "Same address on another customer" },
  // Phone
  phone_unparseable: { channel: "phone", validity: "invalid", label: "Not a phone number" },
  phone_invalid: { channel: "phone", validity: "invalid", label: "Not a valid number for its country" },
  phone_not_e164: { channel: "phone", validity: "doubtful", label: "Not in international (E.164) form" },
  phone_landline_as_mobile: { channel: "phone", validity: "doubtful", label: "A landline in the mobile slot" },
  phone_voip: { channel: "phone", validity: "doubtful", label: "Internet (VoIP) number" },
  phone_bouncing: { channel: "phone", validity: "invalid", label: "Texts to it fail" },
  phone_duplicate: { channel: "phone", validity: "doubtful", label: "Same number on another customer" },
} as const satisfies Record<string, ReasonDefinition>;

export type ReasonCode = keyof typeof REASONS;

export function isReasonCode(value: string): value is ReasonCode {
  return Object.hasOwn(REASONS, value);
}

const RANK: Record<Validity, number> = { valid: 0, doubtful: 1, invalid: 2 };

/** A contact's verdict: the worst its reasons imply ("valid" with none). */
export function validityOf(reasons: readonly ReasonCode[]): Validity {
  let worst: Validity = "valid";
  for (const reason of reasons) if (RANK[REASONS[reason].validity] > RANK[worst]) worst = REASONS[reason].validity;
  return worst;
}

export function reasonLabel(code: string): string {
  return isReasonCode(code) ? REASONS[code].label : code;
}

export const VALIDITY_LABELS: Record<Validity, string> = { valid: "Valid", doubtful: "Doubtful", invalid: "Invalid" };
