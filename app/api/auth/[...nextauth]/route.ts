import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { publicRoute } from "@/lib/auth/guard";

// next-auth's own endpoints (sign-in, sign-out, CSRF, session): public by nature.
const handler = publicRoute((request, context) => NextAuth(request as never, context as never, authOptions()));
export { handler as GET, handler as POST };
