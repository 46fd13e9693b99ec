import "server-only";
/**
 * Test data for the email-in and delivery-event tests (not used by the app). Every call makes
 * fresh, unique rows so test files can share one database without cleaning it.
 */
import { randomUUID } from "node:crypto";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db } from "@/platform/db/client";

export function uniqueDomain(): string {
  return `c${randomUUID().slice(0, 8)}.example`;
}

export async function makeCustomer(
  addresses: Array<{ address: string; isPrimary?: boolean; verified?: boolean; deliverability?: "unknown" | "delivering" | "bouncing" | "complained" }>,
) {
  const customer = await db.customer.create({ data: { accountNumber: `T-${randomUUID().slice(0, 12)}`, name: "Test Customer" } });
  for (const entry of addresses) {
    await db.customerEmail.create({
      data: {
        customerId: customer.id,
        address: entry.address,
        normalized: normalizeEmail(entry.address),
        isPrimary: entry.isPrimary ?? false,
        verifiedAt: entry.verified === false ? null : new Date(),
        deliverability: entry.deliverability ?? "unknown",
      },
    });
  }
  return customer;
}

/** Authentication-Results of an email that passes for `domain`. */
export function passingAuth(domain: string): string {
  return `mx.inbound.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain} header.s=s1; dmarc=pass header.from=${domain}`;
}

/** Authentication-Results of a forgery of `domain`. */
export function failingAuth(domain: string): string {
  return `mx.inbound.test; spf=softfail smtp.mailfrom=${domain}; dkim=none; dmarc=fail (p=REJECT) header.from=${domain}`;
}

export function messageId(): string {
  return `<${randomUUID()}@mail.example>`;
}
