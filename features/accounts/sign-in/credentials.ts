import "server-only";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordAudit } from "@/platform/audit";
import { createAuthSession } from "@/platform/auth/sessions";
import { signInSchema } from "@/features/accounts/sign-in/schemas";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db } from "@/platform/db/client";
import { verifyPasswordOrDummy } from "@/features/accounts/password/password";
import { clientIpFrom } from "@/platform/request";
import { deviceIdFromCookieHeader, knownDeviceOf, touchKnownDevice } from "@/features/accounts/devices/known-devices";
import { countSignInFailure, resetConsecutiveSignInFailures, signInLimitState } from "@/features/accounts/sign-in/sign-in-limits";

export const SIGN_IN_RATE_LIMITED = "rate_limited";
/** The password was right but the account is frozen ("this wasn't me") pending staff review. */
export const SIGN_IN_ACCOUNT_FROZEN = "account_frozen";
/** 100 failed sign-ins in a row: locked for everyone until a password reset by emailed link. */
export const SIGN_IN_ACCOUNT_LOCKED = "account_locked";

/**
 * The email-and-password sign-in of next-auth (app/api/auth/[...nextauth]/route.ts passes it to
 * authOptions). Failed attempts are limited per client address, per (account, client) pair and per
 * account (./sign-in-limits.ts), so a stranger's wrong passwords from elsewhere never lock the owner out.
 */
export function credentialsProvider() {
  return CredentialsProvider({
    id: "credentials",
    name: "Email and password",
    credentials: { email: { type: "email" }, password: { type: "password" } },
    async authorize(credentials, request) {
      const parsed = signInSchema.safeParse(credentials ?? {});
      if (!parsed.success) return null;
      const email = normalizeEmail(parsed.data.email);
      const headers = (request?.headers ?? {}) as Record<string, string | undefined>;
      const ip = clientIpFrom((name) => headers[name]);

      // Failed attempts are what is limited; successful sign-ins of a busy office behind one address are not.
      const limits = await signInLimitState(email, ip);
      if (limits.hardLocked) {
        // Same answer whatever the password, so the lock is no oracle for guessing it.
        await recordAudit({ action: "auth.sign_in_rate_limited", ip, details: { scope: "account_locked" } });
        throw new Error(SIGN_IN_ACCOUNT_LOCKED);
      }
      if (limits.clientLimited) {
        await recordAudit({ action: "auth.sign_in_rate_limited", ip, details: { scope: limits.clientLimited } });
        throw new Error(SIGN_IN_RATE_LIMITED);
      }

      const user = await db.user.findUnique({ where: { email } });
      // Verify against a dummy hash when there is no such user, so both cases take the same time.
      const passwordMatches = await verifyPasswordOrDummy(user?.passwordHash ?? null, parsed.data.password);
      if (!user || !passwordMatches || user.disabledAt) {
        await countSignInFailure(email, ip);
        await recordAudit({
          action: "auth.sign_in_failed",
          subjectType: user ? "User" : undefined,
          subjectId: user?.id,
          ip,
          // "accountThrottled" only when it is: an ordinary failure's details stay just the reason.
          details: {
            reason: !user ? "unknown_account" : user.disabledAt ? "disabled" : "wrong_password",
            ...(limits.accountThrottled ? { accountThrottled: true } : {}),
          },
        });
        if (limits.accountThrottled) throw new Error(SIGN_IN_RATE_LIMITED);
        return null;
      }
      if (limits.accountThrottled && limits.pairHasFailures) {
        // Many clients are failing on this account: the right password counts only from a client
        // that has not been guessing it (the owner's own device); the answer is the same as for a wrong one.
        await recordAudit({ action: "auth.sign_in_rate_limited", subjectType: "User", subjectId: user.id, ip, details: { scope: "account" } });
        throw new Error(SIGN_IN_RATE_LIMITED);
      }
      await resetConsecutiveSignInFailures(email);

      if (user.frozenAt) {
        // Said only after the right password, so it reveals nothing to someone guessing.
        await recordAudit({ action: "auth.sign_in_failed", subjectType: "User", subjectId: user.id, ip, details: { reason: "frozen" } });
        throw new Error(SIGN_IN_ACCOUNT_FROZEN);
      }

      // With two-factor sign-in on, the session grants nothing until /signin/second-factor completes it.
      // Without it, a browser the account has not used (features/accounts/devices/) owes a code sent to
      // the verified email or mobile on that same page; the second factor alone suffices for a new browser.
      const knownDevice = await knownDeviceOf(user.id, deviceIdFromCookieHeader(headers.cookie));
      // An account with nothing verified yet has no channel to send that code to: it signs in, and
      // the email-verification step it still owes (registration's gate) proves the address instead.
      const hasVerifiedChannel = user.emailVerifiedAt !== null || (user.phoneE164 !== null && user.phoneVerifiedAt !== null);
      const secondFactorDue = user.twoFactorMethod !== null || (knownDevice === null && hasVerifiedChannel);
      const sessionId = await createAuthSession(user.id, { ip, userAgent: headers["user-agent"], secondFactorDue });
      if (secondFactorDue) {
        await recordAudit({
          action: "auth.password_accepted",
          actor: { userId: user.id, role: user.role },
          subjectType: "User",
          subjectId: user.id,
          ip,
          details: { secondFactor: user.twoFactorMethod ?? "new_device_code" },
        });
      } else {
        if (knownDevice) await touchKnownDevice(knownDevice.id, { sessionId, ip, userAgent: headers["user-agent"] ?? null });
        await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
        await recordAudit({ action: "auth.sign_in", actor: { userId: user.id, role: user.role }, subjectType: "User", subjectId: user.id, ip });
      }
      return { id: user.id, name: user.name, email: user.email, sessionId };
    },
  });
}
