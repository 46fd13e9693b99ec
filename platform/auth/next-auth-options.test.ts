import { afterEach, describe, expect, it, vi } from "vitest";

describe("next-auth cookies", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("are Secure and prefixed when the public URL is https, plain on http (the local demo)", async () => {
    vi.stubEnv("NEXTAUTH_URL", "https://help.example.com");
    const https = await import("@/platform/auth/next-auth-options");
    expect(https.authOptions().useSecureCookies).toBe(true);

    vi.resetModules();
    vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
    const http = await import("@/platform/auth/next-auth-options");
    expect(http.authOptions().useSecureCookies).toBe(false);
  });
});
