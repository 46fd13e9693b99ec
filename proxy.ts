import { type NextRequest, NextResponse } from "next/server";
import { refuseHostileRequest } from "@/platform/hostile-requests";

/**
 * Passes the requested path to server components (they cannot see the URL) so the
 * authorization guard can send an anonymous visitor to sign-in and back afterwards.
 * Authorization itself happens on the server in platform/auth/guard.ts, never here.
 */
export function proxy(request: NextRequest) {
  // An oversized server-action body or an undecodable path: a clear 413 / 400 rather than Next's 500.
  const refused = refuseHostileRequest(request);
  if (refused) return refused;
  const headers = new Headers(request.headers);
  headers.set("x-veridesk-path", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // API routes are excluded: they need no return path, and the proxy would cap request bodies
  // (inbound email) at 10 MB without an error. So are the icons, the manifest and robots.txt:
  // public files every browser and crawler fetches without a session.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|icons/|apple-touch-icon.png|manifest.webmanifest|robots.txt|api/).*)"],
};
