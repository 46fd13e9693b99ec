import { randomUUID } from "node:crypto";
import { E2E, expect, test } from "./fixtures/test";

/**
 * An administrator issues an API token on /admin/api, another system uses it against /api/v1
 * (through instance B: tokens and their limits are shared), the admin sees its last use and revokes
 * it, and the token is refused from then on.
 */
test("create a token (shown once) → the API answers with it on both instances → last use shown → revoke → 401", async ({ page, users, request }) => {
  const name = `CRM sync ${randomUUID().slice(0, 6)}`;
  await users.signIn(page, "admin");
  await page.goto("/admin/api");
  await expect(page.getByRole("navigation", { name: "Administration sections" }).getByRole("link", { name: "API tokens" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  const form = page.getByRole("form", { name: "New token" });
  // Nothing chosen: refused on the fields, announced.
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Name the token after what uses it")).toBeVisible();
  await expect(form.getByRole("alert").filter({ hasText: "Choose at least one scope." })).toBeVisible();

  await form.getByLabel("Name").fill(name);
  await form.getByRole("checkbox", { name: /tickets:read/ }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByLabel("The new token");
  await expect(shown).toBeVisible();
  const token = (await shown.textContent())!.trim();
  expect(token).toMatch(/^vd_[A-Za-z0-9_-]{43}$/);
  const listed = page.getByRole("list", { name: "API tokens" }).getByRole("listitem").filter({ hasText: name });
  await expect(listed).toContainText("never used");
  await expect(listed).toContainText(token.slice(0, 9));
  await expect(listed).not.toContainText(token.slice(9));

  const headers = { authorization: `Bearer ${token}` };
  for (const base of [E2E.instanceA, E2E.instanceB]) {
    const answer = await request.get(`${base}/api/v1/tickets?page[size]=3`, { headers });
    expect(answer.status()).toBe(200);
    expect(answer.headers()["ratelimit-limit"]).toBe("600");
    const body = await answer.json();
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data[0].identity.status).toMatch(/^(verified|partially_verified|unverified|mismatch|bouncing)$/);
  }
  // Its scope is tickets:read only.
  const ticketId = (await (await request.get("/api/v1/tickets?page[size]=1", { headers })).json()).data[0].id;
  const identity = await request.get(`/api/v1/tickets/${ticketId}/identity`, { headers });
  expect(identity.status()).toBe(403);
  expect(identity.headers()["content-type"]).toContain("application/problem+json");

  const contract = await request.get("/api/v1/openapi.json");
  expect((await contract.json()).paths["/tickets"].get.operationId).toBe("listTickets");

  await page.reload();
  await expect(listed).toContainText("last used");
  await listed.getByRole("button", { name: `Revoke the token ${name}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Token “${name}” revoked` })).toBeVisible();
  await expect(listed).toContainText("Revoked");
  const refused = await request.get("/api/v1/tickets", { headers });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).detail).toBe("This API token was revoked.");
});
