import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { actorForSession, createAuthSession } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT } from "@/features/verification/limits";
import { TOTP_PERIOD_SECONDS } from "@/features/accounts/two-factor/totp";
import {
  MAX_WRONG_ENTRIES_PER_SIGN_IN,
  RECOVERY_CODE_COUNT,
  beginTotpSetup,
  confirmCodeSetup,
  confirmTotpSetup,
  consumeRecoveryCode,
  generateRecoveryCode,
  normalizeRecoveryCode,
  recoveryCodesLeft,
  regenerateRecoveryCodes,
  sendSetupCode,
  sendSignInCode,
  turnOffTwoFactor,
  twoFactorStatus,
  verifySignInSecondFactor,
} from "@/features/accounts/two-factor/two-factor";
import { TEST_PASSWORD, codeIn, lastMessageTo, makeAccount, uniqueAuMobile, uniqueIp } from "@/features/accounts/two-factor/two-factor-testing";

const codeAt = (secret: string, date: Date) => generate({ secret, epoch: Math.floor(date.getTime() / 1000) });
const stepStart = (date: Date) => new Date(Math.floor(date.getTime() / 1000 / TOTP_PERIOD_SECONDS) * TOTP_PERIOD_SECONDS * 1000 + 5_000);
const steps = (date: Date, count: number) => new Date(date.getTime() + count * TOTP_PERIOD_SECONDS * 1000);

/** An account with the authenticator turned on, as the set-up page does it. */
async function withTotp(now = stepStart(new Date())) {
  const user = await makeAccount();
  const setup = await beginTotpSetup(user.id);
  if (!setup.ok) throw new Error(setup.message);
  const on = await confirmTotpSetup({ userId: user.id, role: "customer", code: await codeAt(setup.secret, now), ip: uniqueIp(), now });
  if (!on.ok) throw new Error(on.message);
  return { user, secret: setup.secret, recoveryCodes: on.recoveryCodes, now };
}

async function pendingSignIn(userId: string) {
  const sessionId = await createAuthSession(userId, { secondFactorDue: true });
  return { sessionId, userId };
}

describe("recovery codes", () => {
  it("are 10 distinct CSPRNG codes in a readable form, stored only as hashes", async () => {
    const { user, recoveryCodes } = await withTotp();
    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    const rows = await db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(RECOVERY_CODE_COUNT);
    const stored = JSON.stringify(rows);
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace("-", ""));
    }
    expect(rows.every((row) => row.codeHash.startsWith("hmac-sha256:v1:"))).toBe(true);
  });

  it("work once each, typed in any case and with spaces", async () => {
    const { user, recoveryCodes } = await withTotp();
    const code = recoveryCodes[0]!;
    expect(await consumeRecoveryCode(user.id, ` ${code.toUpperCase().replace("-", " ")} `)).toBe(true);
    expect(await consumeRecoveryCode(user.id, code)).toBe(false);
    expect(await recoveryCodesLeft(user.id)).toBe(RECOVERY_CODE_COUNT - 1);
    // Another account's code is not this account's.
    const other = await withTotp();
    expect(await consumeRecoveryCode(user.id, other.recoveryCodes[0]!)).toBe(false);
    expect(normalizeRecoveryCode("not a code")).toBeNull();
    expect(normalizeRecoveryCode(generateRecoveryCode())).toMatch(/^[0-9a-z]{10}$/);
  });

  it("are replaced (and shown again) only with the password", async () => {
    const { user, recoveryCodes } = await withTotp();
    expect(await regenerateRecoveryCodes({ userId: user.id, role: "customer", password: "wrong password!", ip: uniqueIp() })).toMatchObject({
      ok: false,
      field: "password",
    });
    const fresh = await regenerateRecoveryCodes({ userId: user.id, role: "customer", password: TEST_PASSWORD, ip: uniqueIp() });
    expect(fresh).toMatchObject({ ok: true });
    expect(await consumeRecoveryCode(user.id, recoveryCodes[1]!)).toBe(false);
    expect(await consumeRecoveryCode(user.id, (fresh as { recoveryCodes: string[] }).recoveryCodes[1]!)).toBe(true);
  });
});

describe("turning on the authenticator app", () => {
  it("needs a right current code first, then turns it on, sends a notice and shows the codes once", async () => {
    const user = await makeAccount();
    const setup = await beginTotpSetup(user.id);
    if (!setup.ok) throw new Error("set-up refused");
    expect(setup.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(setup.secretForTyping.replace(/ /g, "")).toBe(setup.secret);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.totpSecretEncrypted).not.toContain(setup.secret);
    expect(stored.twoFactorMethod).toBeNull();

    const now = stepStart(new Date());
    const wrong = await confirmTotpSetup({ userId: user.id, role: "customer", code: await codeAt(setup.secret, steps(now, 3)), ip: uniqueIp(), now });
    expect(wrong).toMatchObject({ ok: false, field: "code" });
    expect((await twoFactorStatus(user.id)).method).toBeNull();

    const right = await confirmTotpSetup({ userId: user.id, role: "customer", code: await codeAt(setup.secret, now), ip: uniqueIp(), now });
    expect(right).toMatchObject({ ok: true, recoveryCodes: expect.any(Array) });
    expect(await twoFactorStatus(user.id)).toMatchObject({ method: "totp", recoveryCodesLeft: RECOVERY_CODE_COUNT });
    expect((await lastMessageTo(user.email, "two-factor-on-notice")).text).toContain("authenticator app");
    // Already on: a second set-up is refused until it is turned off.
    expect(await beginTotpSetup(user.id)).toMatchObject({ ok: false });
  });

  it("is turned off only with the password, which also deletes the recovery codes", async () => {
    const { user } = await withTotp();
    expect(
      await turnOffTwoFactor({ userId: user.id, role: "customer", password: "not my password", ip: uniqueIp(), staffTwoFactorRequired: false }),
    ).toMatchObject({ ok: false, field: "password" });
    expect(await turnOffTwoFactor({ userId: user.id, role: "customer", password: TEST_PASSWORD, ip: uniqueIp(), staffTwoFactorRequired: false })).toEqual({
      ok: true,
      pending: false,
    });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.twoFactorMethod).toBeNull();
    expect(after.totpSecretEncrypted).toBeNull();
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect((await lastMessageTo(user.email, "two-factor-off-notice")).subject).toMatch(/turned off/);
  });

  it("cannot be turned off by staff when the site requires it", async () => {
    const user = await makeAccount({ role: "agent" });
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "email" } });
    expect(await turnOffTwoFactor({ userId: user.id, role: "agent", password: TEST_PASSWORD, ip: uniqueIp(), staffTwoFactorRequired: true })).toMatchObject({
      ok: false,
    });
  });
});

describe("the sign-in's second step", () => {
  it("keeps the session pending until a right authenticator code, then completes it", async () => {
    const { user, secret, now } = await withTotp();
    const pending = await pendingSignIn(user.id);
    const later = steps(now, 2);
    expect(await actorForSession(pending.sessionId)).toBeNull();

    const wrong = await verifySignInSecondFactor(pending, { kind: "totp", code: await codeAt(secret, steps(later, 5)) }, uniqueIp(), later);
    expect(wrong).toMatchObject({ ok: false, restart: false, message: expect.stringContaining("not right") });
    expect(await actorForSession(pending.sessionId)).toBeNull();

    expect(await verifySignInSecondFactor(pending, { kind: "totp", code: await codeAt(secret, later) }, uniqueIp(), later)).toEqual({
      ok: true,
      recoveryCodesLeft: null,
    });
    expect(await actorForSession(pending.sessionId)).toMatchObject({ userId: user.id });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).codeFailureCount).toBe(0);
  });

  it("refuses the same authenticator code on a second sign-in (replay)", async () => {
    const { user, secret, now } = await withTotp();
    const later = steps(now, 2);
    const code = await codeAt(secret, later);
    expect(await verifySignInSecondFactor(await pendingSignIn(user.id), { kind: "totp", code }, uniqueIp(), later)).toMatchObject({ ok: true });
    const second = await pendingSignIn(user.id);
    expect(await verifySignInSecondFactor(second, { kind: "totp", code }, uniqueIp(), later)).toMatchObject({
      ok: false,
      message: expect.stringContaining("already used"),
    });
    expect(await actorForSession(second.sessionId)).toBeNull();
  });

  it("accepts a recovery code once, which then stops working", async () => {
    const { user, recoveryCodes } = await withTotp();
    const first = await pendingSignIn(user.id);
    expect(await verifySignInSecondFactor(first, { kind: "recovery", code: recoveryCodes[3]! }, uniqueIp())).toEqual({
      ok: true,
      recoveryCodesLeft: RECOVERY_CODE_COUNT - 1,
    });
    expect(await actorForSession(first.sessionId)).not.toBeNull();
    const second = await pendingSignIn(user.id);
    expect(await verifySignInSecondFactor(second, { kind: "recovery", code: recoveryCodes[3]! }, uniqueIp())).toMatchObject({ ok: false, restart: false });
    expect(await actorForSession(second.sessionId)).toBeNull();
  });

  it(`ends the pending sign-in after ${MAX_WRONG_ENTRIES_PER_SIGN_IN} wrong entries, and counts them on the account`, async () => {
    const { user } = await withTotp();
    const pending = await pendingSignIn(user.id);
    for (let attempt = 1; attempt < MAX_WRONG_ENTRIES_PER_SIGN_IN; attempt++) {
      expect(await verifySignInSecondFactor(pending, { kind: "recovery", code: "00000-00000" }, uniqueIp())).toMatchObject({ ok: false, restart: false });
    }
    expect(await verifySignInSecondFactor(pending, { kind: "recovery", code: "00000-00000" }, uniqueIp())).toMatchObject({ ok: false, restart: true });
    const session = await db.authSession.findUniqueOrThrow({ where: { id: pending.sessionId } });
    expect(session.revokedAt).not.toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).codeFailureCount).toBe(MAX_WRONG_ENTRIES_PER_SIGN_IN);
  });

  it("refuses every second factor of a locked account, and locks at the account-wide limit", async () => {
    const { user, recoveryCodes } = await withTotp();
    await db.user.update({ where: { id: user.id }, data: { codeFailureCount: MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT - 1 } });
    const pending = await pendingSignIn(user.id);
    expect(await verifySignInSecondFactor(pending, { kind: "recovery", code: "00000-00000" }, uniqueIp())).toMatchObject({
      ok: false,
      message: expect.stringContaining("locked"),
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).codeLockedAt).not.toBeNull();
    expect(await verifySignInSecondFactor(pending, { kind: "recovery", code: recoveryCodes[0]! }, uniqueIp())).toMatchObject({
      ok: false,
      message: expect.stringContaining("locked"),
    });
    expect(await actorForSession(pending.sessionId)).toBeNull();
  });

  it("works with a code by email: set-up confirmed by a code, sign-in code sent by the engine", async () => {
    const user = await makeAccount();
    expect(await sendSetupCode({ userId: user.id, channel: "email", ip: uniqueIp() })).toMatchObject({
      ok: true,
      maskedTarget: expect.stringContaining("•••@example.test"),
    });
    const setupCode = codeIn(await lastMessageTo(user.email, "security-code.two_factor_setup"));
    const on = await confirmCodeSetup({ userId: user.id, role: "customer", channel: "email", code: setupCode, ip: uniqueIp() });
    expect(on).toMatchObject({ ok: true });
    expect((on as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);

    const pending = await pendingSignIn(user.id);
    expect(await sendSignInCode(pending, uniqueIp())).toMatchObject({ ok: true });
    const signInCode = codeIn(await lastMessageTo(user.email, "security-code.sign_in_second_factor"));
    expect(await verifySignInSecondFactor(pending, { kind: "totp", code: signInCode }, uniqueIp())).toMatchObject({ ok: false });
    expect(await verifySignInSecondFactor(pending, { kind: "code", code: signInCode }, uniqueIp())).toMatchObject({ ok: true });
    expect(await actorForSession(pending.sessionId)).not.toBeNull();
  });

  it("sends the first sign-in code at once after set-up by code, and refuses a second one within the cooldown", async () => {
    const now = new Date();
    const user = await makeAccount();
    expect(await sendSetupCode({ userId: user.id, channel: "email", ip: uniqueIp() })).toMatchObject({ ok: true });
    const setupCode = codeIn(await lastMessageTo(user.email, /^security-code\./));
    expect(await confirmCodeSetup({ userId: user.id, role: "customer", channel: "email", code: setupCode, ip: uniqueIp() })).toMatchObject({ ok: true });

    // Seconds after set-up: a different purpose, so set-up's cooldown does not delay it.
    const pending = await pendingSignIn(user.id);
    const first = await sendSignInCode(pending, uniqueIp());
    expect(first).toMatchObject({ ok: true });
    const resendAt = Date.parse((first as { resendAvailableAt: string }).resendAvailableAt);
    expect(resendAt).toBeGreaterThan(now.getTime());

    // The sign-in's own cooldown still holds, and the refusal says until when (for the countdown).
    const again = await sendSignInCode(pending, uniqueIp());
    expect(again).toMatchObject({ ok: false, message: expect.stringMatching(/^Please wait \d+ seconds/) });
    expect(Date.parse((again as { availableAt?: string }).availableAt ?? "")).toBe(resendAt);

    // The set-up code cannot stand in for a sign-in code (codes are bound to their purpose).
    expect(await verifySignInSecondFactor(pending, { kind: "code", code: setupCode }, uniqueIp())).toMatchObject({ ok: false });
    const signInCode = codeIn(await lastMessageTo(user.email, "security-code.sign_in_second_factor"));
    expect(await verifySignInSecondFactor(pending, { kind: "code", code: signInCode }, uniqueIp())).toMatchObject({ ok: true });
  });

  it("sends SMS codes only to a verified mobile", async () => {
    const unverified = await makeAccount({ phoneE164: uniqueAuMobile(), phoneVerified: false });
    expect(await sendSetupCode({ userId: unverified.id, channel: "sms", ip: uniqueIp() })).toMatchObject({
      ok: false,
      message: expect.stringContaining("verify a mobile"),
    });
    const phone = uniqueAuMobile();
    const verified = await makeAccount({ phoneE164: phone, phoneVerified: true });
    expect(await sendSetupCode({ userId: verified.id, channel: "sms", ip: uniqueIp() })).toMatchObject({ ok: true });
    const code = codeIn(await lastMessageTo(phone));
    expect(await confirmCodeSetup({ userId: verified.id, role: "customer", channel: "sms", code, ip: uniqueIp() })).toMatchObject({ ok: true });
    expect((await twoFactorStatus(verified.id)).method).toBe("sms");
  });

  it("refuses a session owed by someone else's account (no cross-use of codes)", async () => {
    const a = await withTotp();
    const b = await withTotp();
    const later = steps(a.now, 2);
    const pendingB = await pendingSignIn(b.user.id);
    expect(await verifySignInSecondFactor(pendingB, { kind: "totp", code: await codeAt(a.secret, later) }, uniqueIp(), later)).toMatchObject({ ok: false });
    expect(await verifySignInSecondFactor(pendingB, { kind: "recovery", code: a.recoveryCodes[0]! }, uniqueIp())).toMatchObject({ ok: false });
  });
});
