import { normalizeEmail } from "@/platform/email-address/email-address";
import { normalizeOrganisationName } from "@/features/organisations/names";
import type { ImportIssue, ImportValues } from "./clean";

/**
 * The import's rules, as pure functions over what the database holds (loaded set-based by
 * ./lookups.ts), so that the dry run and the commit decide alike and every rule has a unit test:
 *
 *  - A row matches an existing customer by account number, else by any of its addresses (primary
 *    or alias, against every address on record), else by a phone number only one customer has.
 *  - A blank cell never overwrites (cleaning drops blank cells, so a field absent here is kept).
 *  - A verified identifier (primary address, mobile) is never overwritten: the row is flagged and
 *    the rest of it is written.
 *  - An address another customer holds is never moved: it is left out and the row flagged.
 *  - A row naming an account number that disagrees with the customer its address or phone
 *    matched is skipped: that is two people, or a typo, and a person decides.
 */

export type ExistingEmail = { id: string; customerId: string; normalized: string; address: string; isPrimary: boolean; verified: boolean };
export type ExistingPhone = { id: string; customerId: string; e164: string; kind: "mobile" | "fixed" | "other"; verified: boolean };
export type ExistingCustomer = {
  id: string;
  accountNumber: string;
  name: string;
  organisationKey: string | null;
  unavailable: "merged" | "erased" | null;
  emails: ExistingEmail[];
  phones: ExistingPhone[];
};

export type Lookups = {
  customers: Map<string, ExistingCustomer>;
  /** Account number as given and upper-cased → customer id. */
  byAccount: Map<string, string>;
  /** Normalised address → the email row (any customer). */
  byEmail: Map<string, ExistingEmail>;
  /** E.164 → the customers that hold it. */
  byPhone: Map<string, string[]>;
};

export type MatchedBy = "account_number" | "email" | "phone";

export type RowChanges = {
  name?: string;
  organisation?: string;
  /** Existing email rows to make primary / to make non-primary. */
  promoteEmailId?: string;
  demoteEmailIds: string[];
  addEmails: { address: string; normalized: string; primary: boolean }[];
  /** An unverified mobile to replace, or a new mobile. */
  replaceMobile?: { phoneId: string; e164: string };
  addPhones: { e164: string; kind: "mobile" | "fixed" }[];
};

export type RowPlan =
  | { outcome: "skipped"; issues: ImportIssue[]; customerId: string | null; matchedBy: MatchedBy | null }
  | { outcome: "new" | "update" | "unchanged" | "flagged"; issues: ImportIssue[]; customerId: string | null; matchedBy: MatchedBy | null; changes: RowChanges };

export function emptyChanges(): RowChanges {
  return { demoteEmailIds: [], addEmails: [], addPhones: [] };
}

export function hasChanges(changes: RowChanges): boolean {
  return (
    changes.name !== undefined ||
    changes.organisation !== undefined ||
    changes.promoteEmailId !== undefined ||
    changes.addEmails.length > 0 ||
    changes.replaceMobile !== undefined ||
    changes.addPhones.length > 0
  );
}

/** The existing customer this row is about, and how it was found; null when it is a new customer. */
export function matchRow(values: ImportValues, lookups: Lookups): { customerId: string; matchedBy: MatchedBy } | null {
  if (values.accountNumber) {
    const id = lookups.byAccount.get(values.accountNumber) ?? lookups.byAccount.get(values.accountNumber.toUpperCase());
    if (id) return { customerId: id, matchedBy: "account_number" };
  }
  for (const address of [values.email, ...values.aliases]) {
    if (!address) continue;
    const held = lookups.byEmail.get(normalizeEmail(address));
    if (held) return { customerId: held.customerId, matchedBy: "email" };
  }
  for (const e164 of [values.mobile, values.phone]) {
    if (!e164) continue;
    const holders = lookups.byPhone.get(e164) ?? [];
    const live = holders.filter((id) => !lookups.customers.get(id)?.unavailable);
    if (live.length === 1) return { customerId: live[0] as string, matchedBy: "phone" };
  }
  return null;
}

/** What the row would do, given the database as `lookups` describes it; `match` from matchRow (or the dry run's, at commit). */
export function planRow(values: ImportValues, match: { customerId: string; matchedBy: MatchedBy } | null, lookups: Lookups): RowPlan {
  const issues: ImportIssue[] = [];
  let flagged = false;
  const changes = emptyChanges();
  const customer = match ? lookups.customers.get(match.customerId) : undefined;

  if (match && !customer) {
    return { outcome: "skipped", issues: [{ column: "", value: "", reason: "The customer it matched no longer exists." }], customerId: null, matchedBy: null };
  }
  if (customer?.unavailable) {
    const reason =
      customer.unavailable === "merged"
        ? `It matches account ${customer.accountNumber}, which was merged into another customer: update that one instead.`
        : `It matches account ${customer.accountNumber}, whose customer was erased.`;
    return { outcome: "skipped", issues: [{ column: "", value: "", reason }], customerId: customer.id, matchedBy: match?.matchedBy ?? null };
  }
  if (
    customer &&
    values.accountNumber &&
    match?.matchedBy !== "account_number" &&
    customer.accountNumber.toUpperCase() !== values.accountNumber.toUpperCase()
  ) {
    return {
      outcome: "skipped",
      issues: [
        {
          column: "accountNumber",
          value: values.accountNumber,
          reason: `Its ${match?.matchedBy === "phone" ? "phone number" : "email address"} belongs to account ${customer.accountNumber}, not ${values.accountNumber}: check which is right.`,
        },
      ],
      customerId: customer.id,
      matchedBy: match?.matchedBy ?? null,
    };
  }
  if (!customer && !values.name) {
    return {
      outcome: "skipped",
      issues: [{ column: "name", value: "", reason: "A new customer needs a name, and this row has none." }],
      customerId: null,
      matchedBy: null,
    };
  }

  // Name and organisation: a value in the file replaces what is there (they are not identifiers).
  if (values.name && values.name !== customer?.name) changes.name = values.name;
  if (values.organisation && normalizeOrganisationName(values.organisation) !== customer?.organisationKey) changes.organisation = values.organisation;

  // Addresses.
  const own = new Map((customer?.emails ?? []).map((email) => [email.normalized, email]));
  const currentPrimary = customer?.emails.find((email) => email.isPrimary) ?? null;
  const usable = (address: string, column: string): boolean => {
    const held = lookups.byEmail.get(normalizeEmail(address));
    if (held && held.customerId !== customer?.id) {
      const holder = lookups.customers.get(held.customerId);
      issues.push({
        column,
        value: address,
        reason: `Another customer${holder ? ` (account ${holder.accountNumber})` : ""} already has this address; it was not moved.`,
      });
      flagged = true;
      return false;
    }
    return true;
  };
  if (values.email && usable(values.email, "email")) {
    const key = normalizeEmail(values.email);
    if (currentPrimary?.normalized !== key) {
      if (currentPrimary?.verified) {
        issues.push({
          column: "email",
          value: values.email,
          reason: "The customer's primary address is verified and is never overwritten by an import; the file's address was not written.",
        });
        flagged = true;
      } else {
        if (currentPrimary) changes.demoteEmailIds.push(currentPrimary.id);
        const existing = own.get(key);
        if (existing) changes.promoteEmailId = existing.id;
        else changes.addEmails.push({ address: values.email, normalized: key, primary: true });
      }
    }
  }
  for (const alias of values.aliases) {
    const key = normalizeEmail(alias);
    if (own.has(key) || changes.addEmails.some((email) => email.normalized === key)) continue;
    if (!usable(alias, "alias")) continue;
    changes.addEmails.push({ address: alias, normalized: key, primary: false });
  }
  // A new customer with aliases only: the first becomes its primary.
  if (!customer && changes.addEmails.length > 0 && !changes.addEmails.some((email) => email.primary))
    (changes.addEmails[0] as { primary: boolean }).primary = true;

  // Phones.
  const phones = customer?.phones ?? [];
  if (values.mobile && !phones.some((phone) => phone.e164 === values.mobile && phone.kind === "mobile")) {
    const mobile = phones.find((phone) => phone.kind === "mobile");
    if (mobile?.verified) {
      issues.push({
        column: "mobile",
        value: values.mobile,
        reason: "The customer's mobile number is verified and is never overwritten by an import; the file's number was not written.",
      });
      flagged = true;
    } else if (phones.some((phone) => phone.e164 === values.mobile)) {
      // Already on record as another kind: nothing to add (and replacing would hold it twice).
    } else if (mobile) changes.replaceMobile = { phoneId: mobile.id, e164: values.mobile };
    else changes.addPhones.push({ e164: values.mobile, kind: "mobile" });
  }
  if (values.phone && !phones.some((phone) => phone.e164 === values.phone) && values.phone !== changes.replaceMobile?.e164) {
    changes.addPhones.push({ e164: values.phone, kind: "fixed" });
  }

  const outcome = !customer ? (flagged ? "flagged" : "new") : flagged ? "flagged" : hasChanges(changes) ? "update" : "unchanged";
  return { outcome, issues, customerId: customer?.id ?? null, matchedBy: match?.matchedBy ?? null, changes };
}
