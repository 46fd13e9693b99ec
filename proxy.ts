import { type NextRequest, NextResponse } from "next/server";
import { refuseHostileRequest } from "@/platform/hostile-requests";
import { createNonce, PERMISSIONS_POLICY, pageContentSecurityPolicy, strictTransportSecurity } from "@/platform/security-headers";

/**
 * Runs before every page (not /api but for /api/live's path check, not static files):
 *  - passes the requested path to server components (they cannot see the URL) so the
 *    authorization guard can send an anonymous visitor to sign-in and back afterwards;
 *  - sets this response's Content-Security-Policy with a fresh nonce, on the request too, so
 *    Next.js puts the nonce on its own scripts (platform/security-headers.ts), and `x-nonce` for
 *    any server component that renders a <script> of its own;
 *  - HSTS when the public URL is https, and the Permissions-Policy.
 * Authorization itself happens on the server in platform/auth/guard.ts, never here.
 */
export function proxy(request: NextRequest) {
  // An oversized server-action body or an undecodable path: a clear 413 / 400 rather than Next's 500.
  const refused = refuseHostileRequest(request);
  if (refused) return refused;
  // API routes with a dynamic segment come here only for that check: their [id] segment is decoded by Next.js, which
  // answers 500 for percent-encoding that is not UTF-8. app/api/proxy-matcher.test.ts keeps the matcher's list whole.
  if (request.nextUrl.pathname.startsWith("/api/")) return NextResponse.next();
  const nonce = createNonce();
  const publicUrl = process.env.NEXTAUTH_URL;
  const csp = pageContentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV === "development",
    https: publicUrl?.startsWith("https://") ?? false,
  });
  const headers = new Headers(request.headers);
  headers.set("x-veridesk-path", request.nextUrl.pathname + request.nextUrl.search);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("Permissions-Policy", PERMISSIONS_POLICY);
  const hsts = strictTransportSecurity(publicUrl);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  // API routes are excluded: they need no return path, and the proxy would cap request bodies
  // (inbound email) at 10 MB without an error. So are the icons, the manifest and robots.txt:
  // public files every browser and crawler fetches without a session.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|icon.svg|icons/|apple-touch-icon.png|manifest.webmanifest|robots.txt|api/).*)",
    // API routes with a dynamic segment, for the undecodable-path check only (above).
    "/api/data-quality/:path*",
    "/api/jobs/:path*",
    "/api/live/:path*",
    "/api/v1/:path*",
  ],
};
