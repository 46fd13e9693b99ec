import { E2E, expect, test } from "./fixtures/test";

// Two app instances on one PostgreSQL behave as one: a session made on A works on B, and
// signing out on B ends it on A (no state held in an instance).
test("a session is shared by two instances and revoked on both", async ({ users, newPage }) => {
  const page = await newPage();
  const context = page.context();
  await page.goto(`${E2E.instanceA}/signin`);
  await users.signIn(page, "agent");
  await expect(page).toHaveURL(`${E2E.instanceA}/console`);

  // Same cookie jar, other instance: "localhost" cookies are shared across ports.
  await page.goto(`${E2E.instanceB}/console`);
  await expect(page.getByRole("heading", { name: "Ticket queue" })).toBeVisible();

  const cookies = await context.cookies(E2E.instanceA);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);

  // Replaying the old session cookie on A after signing out on B: refused.
  const replayPage = await newPage();
  await replayPage.context().addCookies(cookies);
  await replayPage.goto(`${E2E.instanceA}/console`);
  await expect(replayPage).toHaveURL(/\/signin\?callbackUrl=/);
});

test("sign-in attempts are counted across instances", async ({ request }) => {
  // Ten failures per account and client per 15 minutes, alternating between A and B: the eleventh is refused
  // even though neither instance alone saw more than six.
  const email = `limit-${Date.now()}@example.com`;
  const attempt = async (base: string) => {
    const csrf = await (await request.get(`${base}/api/auth/csrf`)).json();
    const response = await request.post(`${base}/api/auth/callback/credentials`, {
      form: { email, password: "wrong-password-1", csrfToken: csrf.csrfToken, json: "true" },
    });
    return (await response.json()).url as string;
  };
  const outcomes: string[] = [];
  for (let i = 0; i < 11; i++) outcomes.push(await attempt(i % 2 === 0 ? E2E.instanceA : E2E.instanceB));
  expect(outcomes.slice(0, 10).every((url) => url.includes("error=CredentialsSignin"))).toBe(true);
  expect(outcomes[10]).toContain("error=rate_limited");
});
