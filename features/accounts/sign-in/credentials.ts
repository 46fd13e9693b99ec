import "server-only";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordAudit } from "@/platform/audit";
import { createAuthSession } from "@/platform/auth/sessions";
import { signInSchema } from "@/features/accounts/sign-in/schemas";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db } from "@/platform/db/client";
import { verifyPasswordOrDummy } from "@/features/accounts/password/password";
import { consumeRateLimit, isRateLimited } from "@/platform/rate-limit";
import { clientIpFrom } from "@/platform/request";

/** Failed sign-ins allowed per source address and per account in 15 minutes, shared by every instance. */
const SIGN_IN_FAILURES_PER_IP = { limit: 50, windowSeconds: 15 * 60 };
const SIGN_IN_FAILURES_PER_ACCOUNT = { limit: 10, windowSeconds: 15 * 60 };

export const SIGN_IN_RATE_LIMITED = "rate_limited";
/** The password was right but the account is frozen ("this wasn't me") pending staff review. */
export const SIGN_IN_ACCOUNT_FROZEN = "account_frozen";

/**
 * The email-and-password sign-in of next-auth (app/api/auth/[...nextauth]/route.ts passes it to
 * authOptions). Failed attempts are limited per source address and per account in PostgreSQL.
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

      // Failed attempts are what is limited (per source address and per account, shared by
      // every instance); successful sign-ins of a busy office behind one address are not.
      const ipKey = `sign-in-failures:ip:${ip}`;
      const accountKey = `sign-in-failures:account:${email}`;
      const [byIp, byAccount] = await Promise.all([
        isRateLimited(ipKey, SIGN_IN_FAILURES_PER_IP.limit),
        isRateLimited(accountKey, SIGN_IN_FAILURES_PER_ACCOUNT.limit),
      ]);
      if (byIp.limited || byAccount.limited) {
        await recordAudit({ action: "auth.sign_in_rate_limited", ip, details: { scope: byIp.limited ? "ip" : "account" } });
        throw new Error(SIGN_IN_RATE_LIMITED);
      }
      const countFailure = () =>
        Promise.all([
          consumeRateLimit(ipKey, SIGN_IN_FAILURES_PER_IP.limit, SIGN_IN_FAILURES_PER_IP.windowSeconds),
          consumeRateLimit(accountKey, SIGN_IN_FAILURES_PER_ACCOUNT.limit, SIGN_IN_FAILURES_PER_ACCOUNT.windowSeconds),
        ]);

      const user = await db.user.findUnique({ where: { email } });
      // Verify against a dummy hash when there is no such user, so both cases take the same time.
      const passwordMatches = await verifyPasswordOrDummy(user?.passwordHash ?? null, parsed.data.password);
      if (!user || !passwordMatches || user.disabledAt) {
        await countFailure();
        await recordAudit({
          action: "auth.sign_in_failed",
          subjectType: user ? "User" : undefined,
          subjectId: user?.id,
          ip,
          details: { reason: !user ? "unknown_account" : user.disabledAt ? "disabled" : "wrong_password" },
        });
        return null;
      }

      if (user.frozenAt) {
        // Said only after the right password, so it reveals nothing to someone guessing.
        await recordAudit({ action: "auth.sign_in_failed", subjectType: "User", subjectId: user.id, ip, details: { reason: "frozen" } });
        throw new Error(SIGN_IN_ACCOUNT_FROZEN);
      }

      // With two-factor sign-in on, the session grants nothing until /signin/second-factor completes it.
      const secondFactorDue = user.twoFactorMethod !== null;
      const sessionId = await createAuthSession(user.id, { ip, userAgent: headers["user-agent"], secondFactorDue });
      if (secondFactorDue) {
        await recordAudit({
          action: "auth.password_accepted",
          actor: { userId: user.id, role: user.role },
          subjectType: "User",
          subjectId: user.id,
          ip,
          details: { secondFactor: user.twoFactorMethod },
        });
      } else {
        await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
        await recordAudit({ action: "auth.sign_in", actor: { userId: user.id, role: user.role }, subjectType: "User", subjectId: user.id, ip });
      }
      return { id: user.id, name: user.name, email: user.email, sessionId };
    },
  });
}
