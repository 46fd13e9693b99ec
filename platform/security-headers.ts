/**
 * Response headers that keep pages from running or loading anything they should not. Pure
 * functions, used by proxy.ts (pages, per request) and next.config.js (API routes, static).
 *
 * Scripts: only the ones carrying this request's nonce ('strict-dynamic' lets them load Next.js's
 * chunks), never inline or injected ones. Next.js reads the nonce from the Content-Security-Policy
 * request header set by the proxy and puts it on its own <script> tags; that needs the page to be
 * rendered per request, which the root layout ensures (app/layout.tsx reads the request).
 *
 * Styles keep 'unsafe-inline': React renders `style={{…}}` as style attributes, and the emails shown
 * in the demo mailbox (a sandboxed srcdoc iframe, which inherits this policy) are all inline styles.
 * A nonce cannot cover style attributes, and CSS cannot run script, so the risk left is limited to
 * an injected style changing how a page looks. Everything else (fonts, images) comes from 'self'.
 */

/** A fresh, unguessable nonce for one response (128 random bits, base64). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export interface PagePolicyOptions {
  nonce: string;
  /** `next dev` needs 'unsafe-eval' (React's error overlays); production never does. */
  development?: boolean;
  /** The public URL is https: ask the browser to upgrade any http sub-resource. */
  https?: boolean;
}

export function pageContentSecurityPolicy({ nonce, development = false, https = false }: PagePolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws:" : ""}`,
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "manifest-src 'self'",
    "worker-src 'self'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** JSON, CSV and file downloads from /api: nothing in them may run, load, be framed or submit. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

/** Browser features the helpdesk never uses, off for every page and any frame in it. */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "publickey-credentials-get=()",
  "usb=()",
  "browsing-topics=()",
].join(", ");

/** HSTS only when the public URL is https (an http deployment, such as the local demo, must not pin https). */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  return publicUrl?.startsWith("https://") ? "max-age=63072000; includeSubDomains" : null;
}
