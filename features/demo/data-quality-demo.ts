import type { ReasonCode } from "@/features/data-quality/reasons";

/**
 * The demo's data quality: validation verdicts on some of the demo customers' contacts (by address
 * or number) and a few weekly validation runs, so the data-quality report has figures and a trend
 * to show. The seed writes a verdict only on a contact that has none yet and creates a run only
 * when its job id is missing: a real validation run's results are never overwritten.
 */

type Verdict = { validity: "valid" | "doubtful" | "invalid"; reasons: ReasonCode[]; suggestion?: string; lineType?: string };

/** Keyed by the address as DEMO_CUSTOMERS spells it (normalised by the seed), or the E.164 number. */
export const DEMO_CONTACT_VERDICTS: Readonly<Record<string, Verdict>> = {
  "maya.patel@northwind.example": { validity: "valid", reasons: [] },
  "m.patel@northwind-old.example": { validity: "invalid", reasons: ["email_domain_not_found"] },
  "orders@bluebell-bakery.example": { validity: "doubtful", reasons: ["email_role_address"] },
  "sofia.andersson@harbour-logistics.example": { validity: "invalid", reasons: ["email_bouncing"] },
  "it-support@kestrel-eng.example": { validity: "doubtful", reasons: ["email_role_address"] },
  "grace.kim@lumen-dental.example": { validity: "valid", reasons: [] },
  "reception@lumen-dental.example": { validity: "doubtful", reasons: ["email_role_address"] },
  "o.bennett@oldmail.example": { validity: "doubtful", reasons: ["email_complained"] },
  "liam.chen.home@mail.example": { validity: "valid", reasons: ["email_needs_tidying"] },
  "+61491570157": { validity: "valid", reasons: [], lineType: "MOBILE" },
  "+61255501234": { validity: "valid", reasons: [], lineType: "FIXED_LINE" },
  "+61370105678": { validity: "valid", reasons: [], lineType: "FIXED_LINE" },
  "+61491570158": { validity: "valid", reasons: [], lineType: "MOBILE" },
  "+14155550187": { validity: "valid", reasons: [], lineType: "FIXED_LINE_OR_MOBILE" },
  "+441174960223": { validity: "doubtful", reasons: ["phone_voip"], lineType: "VOIP" },
  "+61755504321": { validity: "invalid", reasons: ["phone_invalid"] },
  "+61491570159": { validity: "valid", reasons: [], lineType: "MOBILE" },
};

type Counts = { total: number; valid: number; doubtful: number; invalid: number; verified: number; reasons: Partial<Record<ReasonCode, number>> };
export type DemoValidationRun = {
  jobId: string;
  weeksAgo: number;
  trigger: "manual" | "nightly";
  email: Counts;
  phone: Counts;
  duplicates: { phones: number; customers: number };
};

/** Weekly runs, oldest first: verification creeping up and invalid contacts going down as people fixed them. */
export const DEMO_VALIDATION_RUNS: readonly DemoValidationRun[] = [
  {
    jobId: "0193a000-0000-7000-8000-00000000d001",
    weeksAgo: 5,
    trigger: "manual",
    email: {
      total: 17,
      verified: 6,
      valid: 2,
      doubtful: 4,
      invalid: 3,
      reasons: { email_domain_not_found: 2, email_role_address: 3, email_bouncing: 1, email_likely_typo: 1 },
    },
    phone: { total: 13, verified: 2, valid: 5, doubtful: 2, invalid: 2, reasons: { phone_invalid: 2, phone_voip: 1, phone_not_e164: 1 } },
    duplicates: { phones: 1, customers: 2 },
  },
  {
    jobId: "0193a000-0000-7000-8000-00000000d002",
    weeksAgo: 4,
    trigger: "nightly",
    email: {
      total: 17,
      verified: 7,
      valid: 2,
      doubtful: 4,
      invalid: 3,
      reasons: { email_domain_not_found: 2, email_role_address: 3, email_bouncing: 1, email_likely_typo: 1 },
    },
    phone: { total: 13, verified: 3, valid: 5, doubtful: 2, invalid: 2, reasons: { phone_invalid: 2, phone_voip: 1, phone_not_e164: 1 } },
    duplicates: { phones: 1, customers: 2 },
  },
  {
    jobId: "0193a000-0000-7000-8000-00000000d003",
    weeksAgo: 3,
    trigger: "nightly",
    email: {
      total: 17,
      verified: 7,
      valid: 3,
      doubtful: 4,
      invalid: 2,
      reasons: { email_domain_not_found: 1, email_role_address: 3, email_bouncing: 1, email_complained: 1 },
    },
    phone: { total: 13, verified: 3, valid: 6, doubtful: 1, invalid: 2, reasons: { phone_invalid: 2, phone_voip: 1 } },
    duplicates: { phones: 1, customers: 2 },
  },
  {
    jobId: "0193a000-0000-7000-8000-00000000d004",
    weeksAgo: 2,
    trigger: "nightly",
    email: {
      total: 17,
      verified: 8,
      valid: 3,
      doubtful: 4,
      invalid: 2,
      reasons: { email_domain_not_found: 1, email_role_address: 3, email_bouncing: 1, email_complained: 1 },
    },
    phone: { total: 13, verified: 4, valid: 6, doubtful: 1, invalid: 1, reasons: { phone_invalid: 1, phone_voip: 1 } },
    duplicates: { phones: 0, customers: 0 },
  },
  {
    jobId: "0193a000-0000-7000-8000-00000000d005",
    weeksAgo: 1,
    trigger: "nightly",
    email: {
      total: 17,
      verified: 9,
      valid: 2,
      doubtful: 4,
      invalid: 1,
      reasons: { email_domain_not_found: 1, email_role_address: 3, email_bouncing: 1, email_complained: 1, email_needs_tidying: 1 },
    },
    phone: { total: 13, verified: 4, valid: 6, doubtful: 1, invalid: 1, reasons: { phone_invalid: 1, phone_voip: 1 } },
    duplicates: { phones: 0, customers: 0 },
  },
];
