import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { credentialsProvider } from "@/features/accounts/sign-in/credentials";
import { publicRoute } from "@/platform/auth/guard";
import { authOptions } from "@/platform/auth/next-auth-options";
import { dropInvalidCallbackUrl } from "@/platform/auth/policy";

// next-auth's own endpoints (sign-in, sign-out, CSRF, session): public by nature.
// An invalid callbackUrl ("_") made next-auth throw (500): it is dropped first (platform/auth/policy.ts).
const handler = publicRoute((request, context) => {
  dropInvalidCallbackUrl((request as NextRequest).nextUrl.searchParams);
  return NextAuth(request as never, context as never, authOptions([credentialsProvider()]));
});
export { handler as GET, handler as POST };
