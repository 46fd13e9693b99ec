import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadOwnAccount, loadOwnAccountOrThrow } from "@/features/accounts/own-account";
import { db } from "@/platform/db/client";

describe("loadOwnAccount", () => {
  it("reads the actor's own account, and nothing secret", async () => {
    const email = `${randomUUID()}@example.com`;
    const user = await db.user.create({ data: { email, name: "Own Account", role: "customer", emailVerifiedAt: new Date() } });
    const account = await loadOwnAccount({ userId: user.id });
    expect(account).toEqual({
      email,
      emailVerifiedAt: user.emailVerifiedAt,
      phoneE164: null,
      phoneVerifiedAt: null,
      twoFactorMethod: null,
      customerId: null,
      postalAddress: null,
    });
    expect(Object.keys(account!)).not.toContain("passwordHash");
  });

  it("is null for an account that no longer exists (the OrThrow form throws)", async () => {
    expect(await loadOwnAccount({ userId: randomUUID() })).toBeNull();
    await expect(loadOwnAccountOrThrow({ userId: randomUUID() })).rejects.toThrow(/no longer exists/);
  });
});
