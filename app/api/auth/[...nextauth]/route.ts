import NextAuth from "next-auth";
import { credentialsProvider } from "@/features/accounts/sign-in/credentials";
import { publicRoute } from "@/platform/auth/guard";
import { authOptions } from "@/platform/auth/next-auth-options";

// next-auth's own endpoints (sign-in, sign-out, CSRF, session): public by nature.
const handler = publicRoute((request, context) => NextAuth(request as never, context as never, authOptions([credentialsProvider()])));
export { handler as GET, handler as POST };
