import { describe, expect, it } from "vitest";
import { actorForSession, createAuthSession } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { verifyPassword } from "@/features/accounts/password/password";
import {
  PASSWORD_RESET_LINK_LIFETIME_SECONDS,
  changePassword,
  checkPasswordResetToken,
  createPasswordResetToken,
  requestPasswordReset,
  resetPasswordWithToken,
} from "@/features/accounts/password/password-reset";
import { TEST_PASSWORD, lastMessageTo, linkIn, makeAccount, messagesTo, tokenOf, uniqueIp } from "@/features/accounts/two-factor/two-factor-testing";

const NEW_PASSWORD = "copper-violin-meadow-77";

async function resetLinkFor(email: string) {
  return tokenOf(linkIn(await lastMessageTo(email, "password-reset-link"), "/reset-password"));
}

describe("asking for a reset link", () => {
  it("emails a link to a known address, sealed in the outbox, and records it", async () => {
    const user = await makeAccount();
    expect(await requestPasswordReset({ email: `  ${user.email.toUpperCase()} `, ip: uniqueIp() })).toBe("sent");
    const message = await lastMessageTo(user.email, "password-reset-link");
    expect(message.sensitive).toBe(true);
    expect(message.text).toMatch(/works once, for 1 hour/);
    const row = await db.outboxMessage.findFirstOrThrow({ where: { recipient: user.email, kind: "password-reset-link" } });
    expect(row.textBody).not.toContain("reset-password?token=");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "identity.password_reset_requested", subjectId: user.id } });
    expect(JSON.stringify(audit.details)).not.toContain(await resetLinkFor(user.email));
  });

  it("sends nothing for an unknown address, in about the time of a real send (no enumeration)", async () => {
    const known = await makeAccount();
    const started = performance.now();
    expect(await requestPasswordReset({ email: known.email, ip: uniqueIp() })).toBe("sent");
    const realMillis = performance.now() - started;

    const unknown = `nobody-${Date.now()}@example.test`;
    const unknownStarted = performance.now();
    expect(await requestPasswordReset({ email: unknown, ip: uniqueIp() })).toBe("no_account");
    const unknownMillis = performance.now() - unknownStarted;
    expect(await messagesTo(unknown)).toHaveLength(0);
    // Padded to a recent real send (±10%), never answered at the speed of a bare lookup.
    expect(unknownMillis).toBeGreaterThan(realMillis * 0.5);
  });

  it("limits how often one address gets a link, silently", async () => {
    const user = await makeAccount();
    expect(await requestPasswordReset({ email: user.email, ip: uniqueIp() })).toBe("sent");
    expect(await requestPasswordReset({ email: user.email, ip: uniqueIp() })).toBe("rate_limited");
    expect((await messagesTo(user.email)).filter((message) => message.kind === "password-reset-link")).toHaveLength(1);
  });
});

describe("using a reset link", () => {
  it("sets the new password, signs out every session, sends a notice, and works only once", async () => {
    const user = await makeAccount();
    const sessions = [await createAuthSession(user.id, {}), await createAuthSession(user.id, {})];
    await requestPasswordReset({ email: user.email, ip: uniqueIp() });
    const token = await resetLinkFor(user.email);
    expect(await checkPasswordResetToken(token)).toMatchObject({ ok: true, user: { id: user.id } });

    expect(await resetPasswordWithToken({ token, password: NEW_PASSWORD, ip: uniqueIp() })).toEqual({ ok: true });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(after.passwordHash!, NEW_PASSWORD)).toBe(true);
    for (const sessionId of sessions) expect(await actorForSession(sessionId)).toBeNull();
    expect((await lastMessageTo(user.email, "password-changed-notice")).subject).toMatch(/password was changed/);
    expect(await db.auditEvent.findFirst({ where: { action: "identity.password_reset", subjectId: user.id } })).not.toBeNull();

    expect(await checkPasswordResetToken(token)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await resetPasswordWithToken({ token, password: "another-fine-passphrase-9", ip: uniqueIp() })).toMatchObject({ ok: false, reason: "invalid_link" });
  });

  it("lifts the sign-in lock left by 100 failed sign-ins (the emailed link proves the mailbox)", async () => {
    const user = await makeAccount();
    const { countSignInFailure, signInLimitState } = await import("@/features/accounts/sign-in/sign-in-limits");
    for (let i = 0; i < 100; i++) await countSignInFailure(user.email, `198.51.100.${i % 50}`);
    expect((await signInLimitState(user.email, "203.0.113.1")).hardLocked).toBe(true);
    await requestPasswordReset({ email: user.email, ip: uniqueIp() });
    expect(await resetPasswordWithToken({ token: await resetLinkFor(user.email), password: NEW_PASSWORD, ip: uniqueIp() })).toEqual({ ok: true });
    expect(await signInLimitState(user.email, "203.0.113.1")).toMatchObject({ hardLocked: false, accountThrottled: false });
  });

  it("applies the password policy with the person's own name and email", async () => {
    const user = await makeAccount();
    const token = createPasswordResetToken(user);
    expect(await resetPasswordWithToken({ token, password: "password1", ip: uniqueIp() })).toMatchObject({
      ok: false,
      reason: "weak_password",
      field: "password",
    });
    expect(await resetPasswordWithToken({ token, password: "robinexample2024", ip: uniqueIp() })).toMatchObject({ ok: false, reason: "weak_password" });
    // Refusals do not use the link up.
    expect(await checkPasswordResetToken(token)).toMatchObject({ ok: true });
  });

  it("refuses expired, altered and foreign links", async () => {
    const user = await makeAccount();
    const longAgo = new Date(Date.now() - (PASSWORD_RESET_LINK_LIFETIME_SECONDS + 5) * 1000);
    expect(await checkPasswordResetToken(createPasswordResetToken(user, longAgo))).toMatchObject({ ok: false, reason: "expired" });
    const token = createPasswordResetToken(user);
    const [id, expiry, mac] = token.split(".") as [string, string, string];
    const later = (Number.parseInt(expiry, 36) + 3600).toString(36);
    expect(await checkPasswordResetToken(`${id}.${later}.${mac}`)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await checkPasswordResetToken(`${id}.${expiry}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await checkPasswordResetToken("../etc/passwd")).toMatchObject({ ok: false, reason: "invalid" });
    // A changed email address kills links sent to the old one.
    await db.user.update({ where: { id: user.id }, data: { email: `moved-${user.email}` } });
    expect(await checkPasswordResetToken(token)).toMatchObject({ ok: false, reason: "invalid" });
  });
});

describe("changing the password when signed in", () => {
  it("needs the current password, keeps this session, ends the others and sends a notice", async () => {
    const user = await makeAccount();
    const here = await createAuthSession(user.id, {});
    const elsewhere = await createAuthSession(user.id, {});
    expect(await changePassword({ userId: user.id, sessionId: here, currentPassword: "nope", password: NEW_PASSWORD, ip: uniqueIp() })).toMatchObject({
      ok: false,
      field: "currentPassword",
    });
    expect(await changePassword({ userId: user.id, sessionId: here, currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, ip: uniqueIp() })).toEqual({
      ok: true,
    });
    expect(await actorForSession(here)).not.toBeNull();
    expect(await actorForSession(elsewhere)).toBeNull();
    expect((await lastMessageTo(user.email, "password-changed-notice")).text).toContain("changed from its security settings");
  });
});
