import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { db, type TwoFactorMethod } from "@/platform/db/client";

/** What the signed-in person's own pages show about their account (never the password hash or secrets). */
export interface OwnAccount {
  email: string;
  emailVerifiedAt: Date | null;
  phoneE164: string | null;
  phoneVerifiedAt: Date | null;
  twoFactorMethod: TwoFactorMethod | null;
  customerId: string | null;
  postalAddress: string | null;
}

/**
 * The one read of "my own account" for pages (account, email, phone, verify-email, new portal
 * ticket): by the actor's own user id only, so no page can be pointed at someone else's record.
 * Null when the account no longer exists (deleted while the session was open).
 */
export async function loadOwnAccount(actor: Pick<Actor, "userId">): Promise<OwnAccount | null> {
  return db.user.findUnique({
    where: { id: actor.userId },
    select: { email: true, emailVerifiedAt: true, phoneE164: true, phoneVerifiedAt: true, twoFactorMethod: true, customerId: true, postalAddress: true },
  });
}

/** loadOwnAccount for pages behind requirePageActor, where the account must exist. */
export async function loadOwnAccountOrThrow(actor: Pick<Actor, "userId">): Promise<OwnAccount> {
  const account = await loadOwnAccount(actor);
  if (!account) throw new Error("The signed-in account no longer exists.");
  return account;
}
