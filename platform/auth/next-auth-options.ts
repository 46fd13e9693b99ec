import type { NextAuthOptions } from "next-auth";
import { recordAudit } from "@/platform/audit";
import { safeRedirectUrl } from "@/platform/auth/policy";
import { SESSION_MAX_AGE_SECONDS, revokeAuthSession } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { publicBaseUrl, serverEnv } from "@/platform/env";

type Provider = NextAuthOptions["providers"][number];

/**
 * next-auth configuration. The cookie is a signed JWT that carries only a server-side session
 * id (platform/auth/sessions.ts); roles and revocation are read from PostgreSQL on every request.
 * Built on demand so that importing it (e.g. during `next build`) needs no secret. Reading a
 * session needs no provider; the sign-in route passes the accounts feature's credentials provider.
 */
export function authOptions(providers: Provider[] = []): NextAuthOptions {
  return {
    secret: serverEnv().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // On an https public URL every next-auth cookie is Secure and prefixed (__Secure- session and
    // callback, __Host- CSRF), so no http page of the same host can set or read them. Said here
    // rather than left to next-auth's own default, which reads NEXTAUTH_URL the same way.
    useSecureCookies: publicBaseUrl().startsWith("https://"),
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async jwt({ token, user }) {
        if (user) token.sessionId = user.sessionId;
        return token;
      },
      async session({ session, token }) {
        session.sessionId = token.sessionId;
        return session;
      },
      // next-auth's default does `new URL(url)` on any callbackUrl not starting with "/", so
      // "?callbackUrl=_" (or a cookie holding it) threw and answered 500. Ours never throws.
      async redirect({ url, baseUrl }) {
        return safeRedirectUrl(url, baseUrl);
      },
    },
    events: {
      async signOut({ token }) {
        if (!token?.sessionId) return;
        await revokeAuthSession(token.sessionId);
        const user = token.sub ? await db.user.findUnique({ where: { id: token.sub }, select: { id: true, role: true } }) : null;
        await recordAudit({
          action: "auth.sign_out",
          actor: user ? { userId: user.id, role: user.role } : null,
          subjectType: "AuthSession",
          subjectId: token.sessionId,
        });
      },
    },
  };
}
