import { type NumberType, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { type ReasonCode, type Validity, validityOf } from "@/features/data-quality/reasons";
import { isDisposableDomain } from "@/platform/email-address/disposable-domains";
import { isSendableAddress, normalizeEmail } from "@/platform/email-address/email-address";
import { suggestDomain } from "@/platform/email-address/typo-suggestions";
import type { MailDomainOutcome } from "@/platform/dns/mail-domains";

/**
 * The rules of bulk validation, pure (no database, no DNS): one email address or phone number in,
 * its reason codes (features/data-quality/reasons.ts), verdict and what goes with it out. The run
 * (./run.ts) feeds them rows and the DNS outcome of the address's domain; cleansing and the import
 * may call them for a single value.
 */

export type DeliverabilityState = "unknown" | "delivering" | "bouncing" | "complained";

export type EmailVerdict = { validity: Validity; reasons: ReasonCode[]; suggestion: string | null };
export type PhoneVerdict = {
  validity: Validity;
  reasons: ReasonCode[];
  /** libphonenumber-js's line type from the max metadata ("MOBILE", "FIXED_LINE", "VOIP"…), null when unknown. */
  lineType: Exclude<NumberType, undefined> | null;
  /** The number in E.164, when it can be normalised to it (the same as given when it already is). */
  e164: string | null;
};

/**
 * Local parts that name a function, not a person: mail to them reaches whoever reads the shared
 * box, so they prove nothing about a customer. Compared without a "+tag" and without separators
 * ("no-reply", "no_reply", "noreply" alike).
 */
const ROLE_LOCAL_PARTS = new Set([
  "abuse",
  "accounts",
  "accounting",
  "admin",
  "administrator",
  "billing",
  "careers",
  "contact",
  "contactus",
  "customerservice",
  "enquiries",
  "enquiry",
  "finance",
  "hello",
  "help",
  "helpdesk",
  "hostmaster",
  "hr",
  "info",
  "inquiries",
  "jobs",
  "mail",
  "marketing",
  "media",
  "newsletter",
  "noreply",
  "donotreply",
  "office",
  "orders",
  "postmaster",
  "press",
  "privacy",
  "reception",
  "root",
  "sales",
  "security",
  "service",
  "support",
  "team",
  "webmaster",
]);

export function isRoleLocalPart(local: string): boolean {
  const bare = local.toLowerCase().split("+")[0]!.replace(/[-_.]/g, "");
  return ROLE_LOCAL_PARTS.has(bare);
}

/** The domain part of an address as lookups use it (lower-case), or null when there is no "@". */
export function emailDomain(address: string): string | null {
  const normalized = normalizeEmail(address);
  const at = normalized.lastIndexOf("@");
  return at > 0 && at < normalized.length - 1 ? normalized.slice(at + 1) : null;
}

const DNS_REASON: Record<Exclude<MailDomainOutcome, "mail">, ReasonCode> = {
  not_found: "email_domain_not_found",
  no_mail_host: "email_no_mail_host",
  unanswered: "email_dns_unanswered",
};

/**
 * One address's verdict. `dns` is its domain's outcome, or null when DNS was not consulted
 * (VALIDATION_DNS=off): then no DNS reason is given. A syntax failure ends the checks: nothing else
 * about an address mail cannot go to is worth saying.
 */
export function validateEmail(
  input: { address: string; deliverability: DeliverabilityState },
  dns: MailDomainOutcome | null,
  /** The provider domain a typed domain is likely a slip for (a run passes a memoised one: the work is per domain). */
  suggest: (domain: string) => string | null = suggestDomain,
): EmailVerdict {
  const reasons: ReasonCode[] = [];
  const trimmed = input.address.trim().normalize("NFC");
  if (!isSendableAddress(trimmed)) {
    reasons.push("email_syntax");
    if (input.deliverability === "bouncing") reasons.push("email_bouncing");
    return { validity: validityOf(reasons), reasons, suggestion: null };
  }
  const at = trimmed.lastIndexOf("@");
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  // As stored it should be the tidy form: no surrounding spaces, the domain in lower case.
  if (input.address !== trimmed || domain !== domain.toLowerCase()) reasons.push("email_needs_tidying");
  if (dns && dns !== "mail") reasons.push(DNS_REASON[dns]);
  if (isDisposableDomain(domain.toLowerCase())) reasons.push("email_disposable");
  if (isRoleLocalPart(local)) reasons.push("email_role_address");
  const suggestedDomain = suggest(domain.toLowerCase());
  const suggestion = suggestedDomain ? `${local}@${suggestedDomain}` : null;
  if (suggestion) reasons.push("email_likely_typo");
  if (input.deliverability === "bouncing") reasons.push("email_bouncing");
  if (input.deliverability === "complained") reasons.push("email_complained");
  return { validity: validityOf(reasons), reasons, suggestion };
}

const STRICT_E164 = /^\+[1-9]\d{6,14}$/;
/** Digits with the separators people write (spaces, dots, dashes, brackets), optionally "+" first. */
const PHONE_LIKE = /^\+?[\d\s().\-/]{6,30}$/;

/**
 * One stored number's verdict. `kind` is the slot it is stored in (CustomerPhone.kind). A number
 * that is not in E.164 but parses (spaces, brackets) is normalisable: `e164` carries the fix. One
 * written nationally ("020 7183 8750") cannot be placed in a country: it is not E.164 and cannot
 * be checked further.
 */
export function validatePhone(input: { number: string; kind: "mobile" | "fixed" | "other"; deliverability: DeliverabilityState }): PhoneVerdict {
  const reasons: ReasonCode[] = [];
  const given = input.number.trim();
  const bounce = () => {
    if (input.deliverability === "bouncing") reasons.push("phone_bouncing");
  };
  if (!PHONE_LIKE.test(given) || given.replace(/\D/g, "").length < 6) {
    reasons.push("phone_unparseable");
    bounce();
    return { validity: validityOf(reasons), reasons, lineType: null, e164: null };
  }
  if (!given.startsWith("+")) {
    reasons.push("phone_not_e164");
    bounce();
    return { validity: validityOf(reasons), reasons, lineType: null, e164: null };
  }
  const parsed = parsePhoneNumberFromString(given);
  if (!parsed) {
    reasons.push("phone_unparseable");
    bounce();
    return { validity: validityOf(reasons), reasons, lineType: null, e164: null };
  }
  if (given !== parsed.number || !STRICT_E164.test(given)) reasons.push("phone_not_e164");
  if (!parsed.isPossible() || !parsed.isValid()) {
    reasons.push("phone_invalid");
    bounce();
    return { validity: validityOf(reasons), reasons, lineType: null, e164: parsed.isPossible() ? parsed.number : null };
  }
  const lineType = parsed.getType() ?? null;
  if (lineType === "VOIP") reasons.push("phone_voip");
  if (input.kind === "mobile" && lineType === "FIXED_LINE") reasons.push("phone_landline_as_mobile");
  bounce();
  return { validity: validityOf(reasons), reasons, lineType, e164: parsed.number };
}
