import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApiTokenSchema } from "@/features/api-tokens/schemas";
import { createApiToken, listApiTokens, revokeApiToken } from "@/features/api-tokens/tokens";
import { authenticateApiToken, hashApiToken } from "@/platform/auth/api-tokens";
import { db } from "@/platform/db/client";

async function admin() {
  const user = await db.user.create({ data: { email: `admin-${randomUUID()}@staff.example`, name: "Token Admin", role: "admin" } });
  return { userId: user.id, role: "admin" as const };
}

describe("API tokens", () => {
  it("stores only a keyed hash, shows the token once, and authenticates it with its scopes", async () => {
    const actor = await admin();
    const now = new Date("2026-12-03T12:00:00Z");
    const made = await createApiToken(
      createApiTokenSchema.parse({ name: "CRM sync", scopes: ["tickets:read", "tickets:read"], lifetime: "30" }),
      actor,
      "203.0.113.1",
      now,
    );
    expect(made.token).toMatch(/^vd_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: made.id } });
    expect(row.tokenHash).toBe(hashApiToken(made.token));
    expect(JSON.stringify(row)).not.toContain(made.token.slice(3));
    expect(row.scopes).toEqual(["tickets:read"]);
    expect(row.expiresAt?.toISOString()).toBe("2027-01-02T12:00:00.000Z");
    expect(await authenticateApiToken(`Bearer ${made.token}`, "203.0.113.9", now)).toEqual({
      ok: true,
      client: { tokenId: made.id, name: "CRM sync", scopes: ["tickets:read"] },
    });
    expect(await authenticateApiToken(`bearer   ${made.token}`, "203.0.113.9", now)).toMatchObject({ ok: true });
    expect(await authenticateApiToken(`Bearer ${made.token}`, "203.0.113.9", new Date("2027-01-02T12:00:00Z"))).toMatchObject({ ok: false, detail: /expired/ });
    expect(await authenticateApiToken(`Token ${made.token}`, "203.0.113.9", now)).toMatchObject({ ok: false, detail: /Bearer/ });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "api_token.created", subjectId: made.id } });
    expect(JSON.stringify(audit.details)).not.toContain(made.token);
  });

  it("stamps the last use at most once a minute", async () => {
    const actor = await admin();
    const made = await createApiToken(createApiTokenSchema.parse({ name: "Phone system", scopes: ["identity:read"] }), actor, "203.0.113.1");
    const t0 = new Date("2026-12-03T12:00:00Z");
    await authenticateApiToken(`Bearer ${made.token}`, "198.51.100.1", t0);
    await authenticateApiToken(`Bearer ${made.token}`, "198.51.100.2", new Date(t0.getTime() + 30_000));
    expect(await db.apiToken.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({ lastUsedAt: t0, lastUsedIp: "198.51.100.1" });
    const later = new Date(t0.getTime() + 61_000);
    await authenticateApiToken(`Bearer ${made.token}`, "198.51.100.3", later);
    expect(await db.apiToken.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({ lastUsedAt: later, lastUsedIp: "198.51.100.3" });
  });

  it("revokes once: the token stops working, a second revoke says so, the list shows it last", async () => {
    const actor = await admin();
    const made = await createApiToken(createApiTokenSchema.parse({ name: "Old billing", scopes: ["customers:read"], lifetime: "never" }), actor, "203.0.113.1");
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: made.id } })).expiresAt).toBeNull();
    expect((await revokeApiToken(made.id, actor, "203.0.113.1")).message).toMatch(/revoked/);
    expect(await authenticateApiToken(`Bearer ${made.token}`, "203.0.113.9")).toMatchObject({ ok: false, detail: /revoked/ });
    await expect(revokeApiToken(made.id, actor, "203.0.113.1")).rejects.toMatchObject({ code: "conflict" });
    await expect(revokeApiToken(randomUUID(), actor, "203.0.113.1")).rejects.toMatchObject({ code: "not_found" });
    const live = await createApiToken(createApiTokenSchema.parse({ name: "Live", scopes: ["tickets:read"] }), actor, "203.0.113.1");
    const listed = (await listApiTokens()).map((token) => token.id);
    expect(listed.indexOf(live.id)).toBeLessThan(listed.indexOf(made.id));
    expect((await listApiTokens()).find((token) => token.id === live.id)?.createdBy).toBe("Token Admin");
  });

  it("refuses a nameless token, no scopes or an unknown scope, field by field", () => {
    const result = createApiTokenSchema.safeParse({ name: " ", scopes: ["tickets:delete"], lifetime: "7" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(["lifetime", "name", "scopes"]);
    expect(createApiTokenSchema.safeParse({ name: "x", scopes: [] }).error?.issues[0]?.message).toBe("Choose at least one scope.");
  });
});
