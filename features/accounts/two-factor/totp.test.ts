import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import {
  TOTP_PERIOD_SECONDS,
  acceptTotpCode,
  checkTotpCode,
  newTotpSecret,
  openTotpState,
  sealTotpState,
  totpQrDataUrl,
  totpUri,
} from "@/features/accounts/two-factor/totp";
import { makeAccount } from "@/features/accounts/two-factor/two-factor-testing";

const codeAt = (secret: string, date: Date) => generate({ secret, epoch: Math.floor(date.getTime() / 1000) });
/** The start of a 30-second step, plus a few seconds, so ±1 step is exactly one step away. */
const stepStart = (date: Date) => new Date(Math.floor(date.getTime() / 1000 / TOTP_PERIOD_SECONDS) * TOTP_PERIOD_SECONDS * 1000 + 5_000);
const steps = (date: Date, count: number) => new Date(date.getTime() + count * TOTP_PERIOD_SECONDS * 1000);

describe("sealed TOTP state", () => {
  it("round-trips, and refuses altered values or another secret", () => {
    const secret = newTotpSecret();
    const sealed = sealTotpState({ secret, lastStep: 42 });
    expect(sealed).not.toContain(secret);
    expect(openTotpState(sealed)).toEqual({ secret, lastStep: 42 });
    // Fresh IV every time: two seals of the same state differ (the compare-and-swap relies on it).
    expect(sealTotpState({ secret, lastStep: 42 })).not.toBe(sealed);
    // A character in the middle (the last one of base64 may carry unused bits).
    const middle = Math.floor(sealed.length / 2);
    const tampered = sealed.slice(0, middle) + (sealed[middle] === "A" ? "B" : "A") + sealed.slice(middle + 1);
    expect(openTotpState(tampered)).toBeNull();
    expect(openTotpState(sealed, "another-secret-another-secret-0123456789")).toBeNull();
    expect(openTotpState(null)).toBeNull();
    expect(openTotpState("plain text")).toBeNull();
  });

  it("makes a 160-bit base32 secret, an otpauth URI and an SVG QR code", async () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = totpUri(secret, "robin@example.test");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Veridesk:robin%40example\.test\?/);
    expect(uri).toContain(`secret=${secret}`);
    const qr = await totpQrDataUrl(uri);
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qr.split(",")[1]!, "base64").toString("utf8")).toContain("<svg");
  });
});

describe("checking a TOTP code", () => {
  const secret = newTotpSecret();
  const now = stepStart(new Date());

  it("accepts the current step and one step either side, and nothing further", async () => {
    for (const offset of [-1, 0, 1]) {
      expect(await checkTotpCode({ secret, lastStep: null }, await codeAt(secret, steps(now, offset)), now)).toMatchObject({ ok: true });
    }
    for (const offset of [-3, -2, 2, 3]) {
      expect(await checkTotpCode({ secret, lastStep: null }, await codeAt(secret, steps(now, offset)), now)).toEqual({ ok: false, reason: "wrong_code" });
    }
  });

  it("refuses the step already used and earlier ones, ignores spaces, and refuses non-codes", async () => {
    const code = await codeAt(secret, now);
    const first = await checkTotpCode({ secret, lastStep: null }, code, now);
    expect(first.ok).toBe(true);
    const step = (first as { step: number }).step;
    expect(await checkTotpCode({ secret, lastStep: step }, code, now)).toEqual({ ok: false, reason: "replayed" });
    expect(await checkTotpCode({ secret, lastStep: step }, await codeAt(secret, steps(now, -1)), now)).toEqual({ ok: false, reason: "replayed" });
    expect(await checkTotpCode({ secret, lastStep: step }, await codeAt(secret, steps(now, 1)), now)).toMatchObject({ ok: true, step: step + 1 });
    expect(await checkTotpCode({ secret, lastStep: null }, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toMatchObject({ ok: true });
    expect(await checkTotpCode({ secret, lastStep: null }, "12345", now)).toEqual({ ok: false, reason: "wrong_code" });
    expect(await checkTotpCode({ secret, lastStep: null }, "abcdef", now)).toEqual({ ok: false, reason: "wrong_code" });
  });
});

describe("accepting a TOTP code for an account", () => {
  async function withPendingSecret() {
    const user = await makeAccount();
    const secret = newTotpSecret();
    await db.user.update({ where: { id: user.id }, data: { totpSecretEncrypted: sealTotpState({ secret, lastStep: null }) } });
    return { user, secret };
  }

  it("does not sign anyone in with a pending secret, and activates it with a right code", async () => {
    const { user, secret } = await withPendingSecret();
    const now = stepStart(new Date());
    expect(await acceptTotpCode(user.id, await codeAt(secret, now), { now })).toEqual({ ok: false, reason: "no_secret" });
    expect(await acceptTotpCode(user.id, await codeAt(secret, now), { now, activate: true })).toMatchObject({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBe("totp");
  });

  it("refuses a code used once already, even for set-up then sign-in, and lets exactly one of two simultaneous uses win", async () => {
    const { user, secret } = await withPendingSecret();
    const now = stepStart(new Date());
    const code = await codeAt(secret, now);
    expect(await acceptTotpCode(user.id, code, { now, activate: true })).toMatchObject({ ok: true });
    expect(await acceptTotpCode(user.id, code, { now })).toEqual({ ok: false, reason: "replayed" });

    const next = steps(now, 1);
    const nextCode = await codeAt(secret, next);
    const results = await Promise.all([acceptTotpCode(user.id, nextCode, { now: next }), acceptTotpCode(user.id, nextCode, { now: next })]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, reason: "replayed" }]);
  });
});
