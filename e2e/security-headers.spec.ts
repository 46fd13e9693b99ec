import { expect, type Page, test } from "./fixtures/test";

/**
 * Issue 16 item 5: every page carries a strict Content-Security-Policy with a fresh nonce, and the
 * pages still work under it — chromium reports no violation ("Refused to …") on any of them.
 */

function collectViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => violations.push(`${page.url()}: ${error.message}`));
  return violations;
}

test("pages send a nonce-based CSP, HSTS only on https, a Permissions-Policy, and API answers a restrictive CSP", async ({ request }) => {
  const [first, second] = [await request.get("/signin"), await request.get("/signin")];
  const csp = first.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).not.toBe(/'nonce-([^']+)'/.exec(second.headers()["content-security-policy"] ?? "")?.[1]);
  // Next.js put the nonce on its own scripts.
  const html = await first.text();
  expect(html).toContain(`nonce="${nonce}"`);
  expect(first.headers()["permissions-policy"]).toContain("camera=()");
  expect(first.headers()["strict-transport-security"]).toBeUndefined(); // http://localhost
  const api = await request.get("/api/health");
  expect(api.headers()["content-security-policy"]).toMatch(/^default-src 'none'/);
});

test("pages load and work in chromium with no CSP violation", async ({ page, users }) => {
  const violations = collectViolations(page);
  for (const path of ["/", "/signin", "/register", "/forgot-password", "/dev/mailbox"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    // Issue 16 item 8: the e2e instances run in demo mode, and every page says so.
    await expect(page.getByTestId("demo-banner")).toContainText("Demonstration site.");
  }
  expect(violations).toEqual([]);
  // A message in the demo mailbox: the email's HTML (inline styles) in a sandboxed srcdoc frame.
  const firstMessage = page.locator('a[href^="/dev/mailbox/"]').first();
  if (await firstMessage.count()) {
    await firstMessage.click();
    await page.waitForLoadState("networkidle");
  }
  // The sign-in form is a client component: signing in proves the nonce'd scripts ran.
  await page.goto("/signin");
  await users.signIn(page, "supervisor");
  await page.waitForLoadState("networkidle");
  // The reports draw their bars with React style attributes (why style-src keeps 'unsafe-inline').
  for (const path of ["/supervisor/reports", "/console", "/account/security"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  expect(violations).toEqual([]);
});
