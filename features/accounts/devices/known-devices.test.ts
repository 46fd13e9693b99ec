import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { actorForSession, completeSecondFactor, pendingSecondFactorSession } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { credentialsProvider } from "@/features/accounts/sign-in/credentials";
import { MAX_WRONG_ENTRIES_PER_SIGN_IN, sendSignInCode, verifySignInSecondFactor } from "@/features/accounts/two-factor/two-factor";
import { TEST_PASSWORD, codeIn, lastMessageTo, linkIn, makeAccount, messagesTo, tokenOf, uniqueIp } from "@/features/accounts/two-factor/two-factor-testing";
import { disputeContactChange, previewDispute } from "@/features/accounts/contact-change/contact-change";
import {
  browserSummary,
  deviceCookieName,
  deviceIdHash,
  newDeviceId,
  placeOfIp,
  readDeviceCookie,
  signDeviceId,
} from "@/features/accounts/devices/device-cookie";
import { devicesAndSessions, finishSignInOnDevice, forgetDevice, signOutEverywhereElse, signOutSession } from "@/features/accounts/devices/known-devices";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const authorize = credentialsProvider().options.authorize as (
  credentials: Record<string, string>,
  request: { headers: Record<string, string> },
) => Promise<{ id: string; sessionId: string } | null>;

const peer = () => `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** A password sign-in through next-auth's authorize(), with this browser's device cookie (if any). */
async function signIn(email: string, cookie?: string) {
  const headers: Record<string, string> = { "x-veridesk-peer": peer(), "user-agent": CHROME };
  if (cookie) headers.cookie = `other=1; ${deviceCookieName(false)}=${cookie}`;
  const user = await authorize({ email, password: TEST_PASSWORD }, { headers });
  if (!user) throw new Error("sign-in refused");
  return user.sessionId;
}

/** Passes the pending step with the code sent for it, and finishes the sign-in on this browser. */
async function passCode(userId: string, email: string, sessionId: string, cookie?: string) {
  const ip = uniqueIp();
  const sent = await sendSignInCode({ sessionId, userId }, ip);
  expect(sent).toMatchObject({ ok: true });
  const code = codeIn(await lastMessageTo(email, "security-code.new_device_sign_in"));
  expect(await verifySignInSecondFactor({ sessionId, userId }, { kind: "code", code }, ip)).toMatchObject({ ok: true });
  return finishSignInOnDevice({ userId, sessionId, cookieDeviceId: readDeviceCookie(cookie), ip: "203.0.113.7", userAgent: CHROME });
}

describe("the device cookie", () => {
  it("is a random id with an HMAC: forged, altered, foreign-keyed or malformed cookies are refused", () => {
    const id = newDeviceId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newDeviceId()).not.toBe(id);
    const cookie = signDeviceId(id);
    expect(readDeviceCookie(cookie)).toBe(id);
    const [, mac] = cookie.split(".");
    expect(readDeviceCookie(`${newDeviceId()}.${mac}`)).toBeNull();
    expect(readDeviceCookie(`${id}.${mac!.slice(0, -1)}${mac!.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(readDeviceCookie(signDeviceId(id, "another-secret-another-secret-0123456789"))).toBeNull();
    for (const bad of ["", id, `${cookie}.x`, "a".repeat(5000), "\u0000.\u0000", null, undefined]) expect(readDeviceCookie(bad)).toBeNull();
  });

  it("is stored only as a keyed hash bound to the account", () => {
    const id = newDeviceId();
    expect(deviceIdHash("u1", id)).not.toBe(deviceIdHash("u2", id));
    expect(deviceIdHash("u1", id)).not.toContain(id);
  });

  it("names browsers and addresses honestly", () => {
    expect(browserSummary(CHROME)).toBe("Chrome on Linux");
    expect(browserSummary("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1")).toBe(
      "Safari on iOS",
    );
    expect(browserSummary(null)).toBe("Unknown browser");
    expect(placeOfIp("10.1.2.3")).toBe("10.1.2.3 (private network)");
    expect(placeOfIp("::1")).toBe("::1 (private network)");
    expect(placeOfIp("203.0.113.7")).toBe("203.0.113.7");
    expect(placeOfIp("not an ip")).toBe("an unknown address");
  });
});

describe("new-device sign-in", () => {
  it("asks an account without two-factor for an emailed code, then remembers the browser and sends the notice", async () => {
    const user = await makeAccount();
    const sessionId = await signIn(user.email);
    // The password alone opens nothing: the session owes the new-device code.
    expect(await actorForSession(sessionId)).toBeNull();
    expect(await pendingSecondFactorSession(sessionId)).toMatchObject({ userId: user.id, twoFactorMethod: null });

    const done = await passCode(user.id, user.email, sessionId);
    expect(done.newDevice).toBe(true);
    expect(await actorForSession(sessionId)).toMatchObject({ userId: user.id });
    const rows = await db.knownDevice.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ browser: "Chrome on Linux", lastIp: "203.0.113.7" });
    expect(JSON.stringify(rows)).not.toContain(readDeviceCookie(done.cookieValue)!);

    const notice = await lastMessageTo(user.email, "new-device-notice");
    expect(notice.sensitive).toBe(true);
    expect(notice.subject).toBe("New sign-in to your Veridesk account");
    expect(notice.text).toContain("Chrome on Linux");
    expect(notice.text).toContain("203.0.113.7");
    const disputeLink = linkIn(notice, "/security/dispute");
    expect(await previewDispute(tokenOf(disputeLink))).toMatchObject({ ok: true, kind: "device", maskedTo: "Chrome on Linux", alreadyDisputed: false });

    // The same browser again: the password alone, no code, no second notice.
    const again = await signIn(user.email, done.cookieValue);
    expect(await actorForSession(again)).toMatchObject({ userId: user.id });
    expect((await messagesTo(user.email)).filter((message) => message.kind === "new-device-notice")).toHaveLength(1);
    expect(await db.authSession.findUnique({ where: { id: again }, select: { knownDeviceId: true } })).toEqual({ knownDeviceId: rows[0]!.id });
  });

  it("lets an account with nothing verified yet sign in from a new browser, to finish verifying its email", async () => {
    const user = await makeAccount();
    await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: null } });
    const sessionId = await signIn(user.email);
    expect(await pendingSecondFactorSession(sessionId)).toBeNull();
    expect(await actorForSession(sessionId)).toMatchObject({ userId: user.id });
  });

  it("treats another account's device cookie, or a forged one, as a new browser", async () => {
    const owner = await makeAccount();
    const other = await makeAccount();
    const ownerDevice = await passCode(owner.id, owner.email, await signIn(owner.email));
    // The owner's real cookie is worthless for another account.
    expect(await actorForSession(await signIn(other.email, ownerDevice.cookieValue))).toBeNull();
    // A forged cookie is worthless for the owner too.
    expect(await actorForSession(await signIn(owner.email, `${newDeviceId()}.${"A".repeat(43)}`))).toBeNull();
  });

  it("asks a two-factor account for its second factor only, never twice, and still sends the notice", async () => {
    const user = await makeAccount();
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "email" } });
    const sessionId = await signIn(user.email);
    const ip = uniqueIp();
    expect(await sendSignInCode({ sessionId, userId: user.id }, ip)).toMatchObject({ ok: true });
    // The one code is the two-factor sign-in code; no new-device code is sent.
    const code = codeIn(await lastMessageTo(user.email, "security-code.sign_in_second_factor"));
    expect(await verifySignInSecondFactor({ sessionId, userId: user.id }, { kind: "code", code }, ip)).toMatchObject({ ok: true });
    expect(await actorForSession(sessionId)).toMatchObject({ userId: user.id });
    expect((await messagesTo(user.email)).some((message) => message.kind === "security-code.new_device_sign_in")).toBe(false);
    const done = await finishSignInOnDevice({ userId: user.id, sessionId, cookieDeviceId: null, ip: "198.51.100.4", userAgent: CHROME });
    expect(done.newDevice).toBe(true);
    expect(await lastMessageTo(user.email, "new-device-notice")).toBeTruthy();
  });

  it("codes are purpose-bound and a pending sign-in survives only a few wrong ones", async () => {
    const user = await makeAccount();
    const sessionId = await signIn(user.email);
    const ip = uniqueIp();
    await sendSignInCode({ sessionId, userId: user.id }, ip);
    const code = codeIn(await lastMessageTo(user.email, "security-code.new_device_sign_in"));
    const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");
    const outcomes = [];
    for (let i = 0; i < MAX_WRONG_ENTRIES_PER_SIGN_IN; i++)
      outcomes.push(await verifySignInSecondFactor({ sessionId, userId: user.id }, { kind: "code", code: wrong }, ip));
    expect(outcomes.at(-1)).toMatchObject({ ok: false, restart: true });
    // The session is over: even the right code no longer completes it.
    expect(await verifySignInSecondFactor({ sessionId, userId: user.id }, { kind: "code", code }, ip)).toMatchObject({ ok: false });
    expect(await actorForSession(sessionId)).toBeNull();
    // Recovery codes are not a way round the emailed code.
    const next = await signIn(user.email);
    expect(await verifySignInSecondFactor({ sessionId: next, userId: user.id }, { kind: "recovery", code: "abcde-fghjk" }, ip)).toMatchObject({ ok: false });
    expect(await actorForSession(next)).toBeNull();
  });

  it("the notice's 'this wasn't me' link freezes the account and forgets the browser", async () => {
    const user = await makeAccount();
    const done = await passCode(user.id, user.email, await signIn(user.email));
    const token = tokenOf(linkIn(await lastMessageTo(user.email, "new-device-notice"), "/security/dispute"));
    expect(await disputeContactChange({ token, ip: uniqueIp() })).toMatchObject({ ok: true, kind: "device", reverted: false, alreadyDisputed: false });
    const frozen = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(frozen.frozenAt).not.toBeNull();
    expect(await db.knownDevice.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.authSession.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    expect(readDeviceCookie(done.cookieValue)).not.toBeNull();
  });
});

describe("the security page's devices and sessions", () => {
  it("lists them, ends another session, forgets a browser (its next sign-in asks again), and audits each", async () => {
    const user = await makeAccount();
    const first = await passCode(user.id, user.email, await signIn(user.email));
    const here = await signIn(user.email, first.cookieValue);
    // A second browser (its code step passed; a second code within the resend cooldown would be refused).
    const pending = await signIn(user.email);
    expect(await completeSecondFactor(pending)).toBe(true);
    const second = await finishSignInOnDevice({ userId: user.id, sessionId: pending, cookieDeviceId: null, ip: "10.0.0.8", userAgent: null });
    const elsewhere = await signIn(user.email, second.cookieValue);
    const who = { userId: user.id, role: user.role, sessionId: here, ip: "198.51.100.9" };

    const listed = await devicesAndSessions(user.id, here);
    expect(listed.devices).toHaveLength(2);
    expect(listed.devices.filter((device) => device.current)).toHaveLength(1);
    expect(listed.sessions.find((session) => session.current)?.id).toBe(here);

    // Not someone else's session, not this one.
    const stranger = await makeAccount();
    await expect(signOutSession({ ...who, userId: stranger.id }, elsewhere)).rejects.toThrow(/already ended/);
    await expect(signOutSession(who, here)).rejects.toThrow(/this session/);
    await expect(signOutSession(who, "nonsense")).rejects.toThrow(/no such session/);
    await signOutSession(who, elsewhere);
    expect(await actorForSession(elsewhere)).toBeNull();

    const secondDevice = (await devicesAndSessions(user.id, here)).devices.find((device) => !device.current)!;
    await expect(forgetDevice({ ...who, userId: stranger.id }, secondDevice.id)).rejects.toThrow(/no longer on your account/);
    const forgotten = await forgetDevice(who, secondDevice.id);
    expect(forgotten.signedOutHere).toBe(false);
    expect(await actorForSession(await signIn(user.email, second.cookieValue))).toBeNull();
    expect(await actorForSession(here)).toMatchObject({ userId: user.id });

    const other = await signIn(user.email, first.cookieValue);
    expect(await signOutEverywhereElse(who)).toMatchObject({ count: expect.any(Number) });
    expect(await actorForSession(other)).toBeNull();
    expect(await actorForSession(here)).toMatchObject({ userId: user.id });

    const actions = (await db.auditEvent.findMany({ where: { actorUserId: user.id }, select: { action: true } })).map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining(["auth.new_device_sign_in", "auth.session_revoked", "auth.device_forgotten", "auth.other_sessions_revoked"]),
    );
  });
});
