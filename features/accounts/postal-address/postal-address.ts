import "server-only";
import { recordAudit } from "@/platform/audit";
import { db, type Prisma, type Role } from "@/platform/db/client";
import { enqueueEmail, kickOutboxWorker } from "@/platform/outbox/outbox";
import { holdForTextOrApply, type PendingChangeOutcome } from "@/features/accounts/text-confirmation/pending-changes";
import { checkCurrentPassword } from "@/features/accounts/password/password-reset";
import { renderSecurityNotice } from "@/features/accounts/contact-change/contact-change-emails";

/**
 * The account's postal / shipping address (User.postalAddress). Where goods and letters go is a
 * classic target of account takeover, so a change waits for the owner's answer by text when they
 * have a verified mobile (../text-confirmation/); otherwise it is made at once and the verified
 * email address is told. The address itself never goes into the audit log or a notice (PII).
 */

/** First line only, shortened: enough for the owner to recognise it in a text, not a full address. */
export function addressHint(address: string): string {
  if (!address) return "(none)";
  const first = address.split("\n")[0]!;
  return first.length > 24 ? `${first.slice(0, 21)}...` : first;
}

/** Sets the address and tells the account's email, in the caller's transaction (below, or the approval by text). */
export async function applyPostalAddress(tx: Prisma.TransactionClient, input: { userId: string; role: Role; address: string; ip: string }): Promise<void> {
  const user = await tx.user.update({ where: { id: input.userId }, data: { postalAddress: input.address || null }, select: { email: true } });
  await recordAudit(
    {
      action: "identity.postal_address_changed",
      actor: { userId: input.userId, role: input.role },
      subjectType: "User",
      subjectId: input.userId,
      ip: input.ip,
      details: {},
    },
    tx,
  );
  const notice = await renderSecurityNotice("The postal address of your account was changed", {
    preview: "Your postal address was changed.",
    heading: "Your postal address was changed",
    paragraphs: [
      input.address ? `Post for your account now goes to an address starting "${addressHint(input.address)}".` : "Your account no longer has a postal address.",
      "If this wasn't you, someone can sign in to your account: reset your password now and contact our support.",
    ],
    footer: ["This is an automatic security notice. We send it whatever the reason for the change."],
  });
  await enqueueEmail({ kind: "postal-address-changed-notice", to: user.email, subject: notice.subject, text: notice.text, html: notice.html }, tx);
}

export type PostalAddressSaved =
  | { ok: true; pending: false; unchanged: boolean }
  | ({ ok: true } & PendingChangeOutcome)
  | { ok: false; message: string; field?: "password" };

export async function changePostalAddress(input: {
  userId: string;
  role: Role;
  address: string;
  password: string;
  ip: string;
  now?: Date;
}): Promise<PostalAddressSaved> {
  const now = input.now ?? new Date();
  const current = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { postalAddress: true } });
  if ((current.postalAddress ?? "") === input.address) return { ok: true, pending: false, unchanged: true };
  const password = await checkCurrentPassword(input.userId, input.password);
  if (!password.ok) return { ok: false, message: password.message, field: "password" };
  const outcome = await holdForTextOrApply({
    userId: input.userId,
    kind: "postal_address",
    payload: { address: input.address },
    summary: input.address ? `postal address to "${addressHint(input.address)}"` : "remove your postal address",
    ip: input.ip,
    now,
    apply: (tx) => applyPostalAddress(tx, { userId: input.userId, role: input.role, address: input.address, ip: input.ip }),
  });
  if ("refused" in outcome) return { ok: false, message: outcome.refused };
  if (outcome.pending) return { ok: true, ...outcome };
  void kickOutboxWorker();
  return { ok: true, pending: false, unchanged: false };
}
