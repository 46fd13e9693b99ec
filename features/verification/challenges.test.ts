import { randomInt, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, type ChallengePurpose, type Role } from "@/platform/db/client";
import { isSealed, openSealedText } from "@/platform/outbox/sealed";
import { publicBaseUrl } from "@/platform/env";
import {
  InvalidChallengeRequestError,
  issueChallenge,
  issueChallengeOrSimulate,
  peekLink,
  simulateIssueDelay,
  unlockCodeVerification,
  verifyCode,
  verifyLink,
  type IssueChallengeInput,
} from "@/features/verification/challenges";
import { hashCode, hashLinkToken } from "@/features/verification/codes";
import {
  EMAIL_CODE_LIFETIME_SECONDS,
  EMAIL_LINK_LIFETIME_SECONDS,
  MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT,
  MAX_SENDS_PER_TARGET_PER_HOUR,
  MAX_CHANGE_SENDS_PER_ACCOUNT_PER_HOUR,
  MAX_SMS_PER_IP_PER_DAY,
  MAX_SMS_PER_NUMBER_PER_DAY,
  MAX_WRONG_TRIES_PER_CODE,
  RESEND_COOLDOWN_SECONDS,
  SMS_CODE_LIFETIME_SECONDS,
} from "@/features/verification/limits";

// ───────────── What the engine queued: the real outbox, observed (and broken on demand) ─────────────

interface SentMessage {
  channel: "email" | "sms";
  to: string;
  subject?: string;
  text: string;
  outboxId: string;
}

const outbox = vi.hoisted(() => ({ sent: [] as SentMessage[], failNextEnqueue: false }));

vi.mock("@/platform/outbox/outbox", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/platform/outbox/outbox")>();
  const failIfAsked = () => {
    if (outbox.failNextEnqueue) {
      outbox.failNextEnqueue = false;
      throw new Error("Simulated outbox failure");
    }
  };
  return {
    ...actual,
    enqueueEmail: async (...args: Parameters<typeof actual.enqueueEmail>) => {
      const row = await actual.enqueueEmail(...args);
      // After writing: a row written outside the caller's transaction would survive the failure.
      failIfAsked();
      outbox.sent.push({ channel: "email", to: args[0].to, subject: args[0].subject, text: args[0].text ?? "", outboxId: row.id });
      return row;
    },
    enqueueSms: async (...args: Parameters<typeof actual.enqueueSms>) => {
      const row = await actual.enqueueSms(...args);
      failIfAsked();
      outbox.sent.push({ channel: "sms", to: args[0].to, text: args[0].text, outboxId: row.id });
      return row;
    },
  };
});

afterEach(() => {
  outbox.failNextEnqueue = false;
  vi.restoreAllMocks();
});

/** The last message queued to `to`, with the code read out of its body (the only place it exists). */
function lastSentTo(to: string): SentMessage & { code: string; link?: string } {
  const message = outbox.sent.findLast((sent) => sent.to === to);
  if (!message) throw new Error(`nothing was sent to ${to}`);
  const code = (message.channel === "sms" ? /code is (\d{6})\./ : /^(\d{6})$/m).exec(message.text)?.[1];
  if (!code) throw new Error("no code in the message");
  const link = /(https?:\/\/\S+\/verify\/email\?token=\S+)/.exec(message.text)?.[1];
  return { ...message, code, ...(link ? { link } : {}) };
}

// ───────────────────────────── Fixtures ─────────────────────────────

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
// Unique per call, so the per-IP and per-number counts of one test never include another test's rows.
const uniqueIp = () => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}-${randomUUID().slice(0, 8)}`;
const uniquePhone = () => `+447700${randomInt(100000, 1000000)}`;
const otherCode = (code: string) => ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");

async function makeUser(role: Role = "customer") {
  return db.user.create({ data: { email: `user-${randomUUID()}@example.test`, name: "Test Person", role } });
}

async function makeCustomer() {
  return db.customer.create({ data: { accountNumber: `ACC-${randomUUID()}`, name: "Caller Customer" } });
}

/** issueChallenge that must succeed. */
async function issue(input: IssueChallengeInput) {
  const result = await issueChallenge(input);
  if (!result.ok) throw new Error(`expected a code to be sent, got ${result.reason}`);
  return result;
}

async function emailCodeFor(user: { id: string; email: string }, purpose: ChallengePurpose = "sign_in_second_factor", now = new Date(), withLink = false) {
  const issued = await issue({ purpose, channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp(), now, withLink });
  return { ...issued, ...lastSentTo(user.email) };
}

const challengeRow = (id: string) => db.verificationChallenge.findUniqueOrThrow({ where: { id } });
const userRow = (id: string) => db.user.findUniqueOrThrow({ where: { id } });

// ───────────────────────────── Storage: hashes only ─────────────────────────────

describe("codes are never stored or recorded in clear", () => {
  it("keeps the code and link token out of the challenge row, the outbox row and the audit trail", async () => {
    const user = await makeUser();
    const now = new Date();
    const issued = await issue({
      purpose: "email_verification",
      channel: "email",
      target: user.email,
      userId: user.id,
      requestIp: uniqueIp(),
      withLink: true,
      now,
    });
    const sent = lastSentTo(user.email);
    const token = new URL(sent.link!).searchParams.get("token")!;

    const row = await challengeRow(issued.challengeId);
    const rowText = JSON.stringify(row);
    expect(rowText).not.toContain(sent.code);
    expect(rowText).not.toContain(token);
    // The stored hash is the keyed HMAC of the code (so the test above is not vacuous).
    expect(row.codeHash).toBe(hashCode(sent.code, { purpose: "email_verification", target: user.email }));
    expect(row.linkTokenHash).toBe(hashLinkToken(token));

    const message = await db.outboxMessage.findUniqueOrThrow({ where: { id: sent.outboxId } });
    expect(message.sensitive).toBe(true);
    expect(isSealed(message.textBody!)).toBe(true);
    expect(isSealed(message.htmlBody!)).toBe(true);
    expect(JSON.stringify(message)).not.toContain(sent.code);
    expect(JSON.stringify(message)).not.toContain(token);
    // …yet the sealed body does carry the code to the recipient.
    expect(openSealedText(message.textBody!)).toContain(sent.code);
    expect(openSealedText(message.htmlBody!)).toContain(sent.code);

    await verifyCode({ purpose: "email_verification", userId: user.id, code: otherCode(sent.code), now });
    expect((await verifyCode({ purpose: "email_verification", userId: user.id, code: sent.code, now })).ok).toBe(true);

    const events = await db.auditEvent.findMany({ where: { subjectId: user.id } });
    expect(events.map((event) => event.action)).toEqual(["identity.code_sent", "identity.code_failed", "identity.code_verified"]);
    for (const event of events) {
      expect(JSON.stringify(event.details)).not.toContain(sent.code);
      expect(JSON.stringify(event.details)).not.toContain(otherCode(sent.code));
      expect(JSON.stringify(event.details)).not.toContain(token);
    }
    expect(events[0]!.details).toMatchObject({
      challengeId: issued.challengeId,
      purpose: "email_verification",
      channel: "email",
      withLink: true,
    });
    // The audit log is append-only and outlives an erasure: not even a masked address goes in it.
    expect(events[0]!.details).not.toHaveProperty("to");
  });

  it("seals SMS bodies as well", async () => {
    const user = await makeUser();
    const phone = uniquePhone();
    await issue({ purpose: "phone_verification", channel: "sms", target: phone, userId: user.id, requestIp: uniqueIp() });
    const sent = lastSentTo(phone);
    const message = await db.outboxMessage.findUniqueOrThrow({ where: { id: sent.outboxId } });
    expect(message).toMatchObject({ channel: "sms", sensitive: true, recipient: phone });
    expect(isSealed(message.textBody!)).toBe(true);
    expect(JSON.stringify(message)).not.toContain(sent.code);
    expect(openSealedText(message.textBody!)).toBe(sent.text);
    expect(sent.text).toContain(`Your Veridesk code is ${sent.code}. It expires in 10 minutes. Never share it.`);
  });

  it("never logs a code, nor puts it in an error", async () => {
    const logged: unknown[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(...args));
    }
    const user = await makeUser();
    const { code } = await emailCodeFor(user);
    await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: otherCode(code) });
    await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code });
    await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code });
    expect(JSON.stringify(logged.map(String))).not.toContain(code);

    // A malformed request is refused naming fields, not echoing values.
    const error = await verifyCode({ purpose: "not_a_purpose" as ChallengePurpose, userId: user.id, code }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidChallengeRequestError);
    expect((error as Error).message).not.toContain(code);
  });

  it("queues the message in the same transaction as the challenge: if queuing fails, nothing is left", async () => {
    const user = await makeUser();
    const before = await db.verificationChallenge.count({ where: { userId: user.id } });
    outbox.failNextEnqueue = true;
    await expect(
      issueChallenge({ purpose: "sign_in_second_factor", channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp() }),
    ).rejects.toThrow("Simulated outbox failure");
    expect(await db.verificationChallenge.count({ where: { userId: user.id } })).toBe(before);
    expect(await db.outboxMessage.count({ where: { recipient: user.email } })).toBe(0);
    expect(await db.auditEvent.count({ where: { subjectId: user.id, action: "identity.code_sent" } })).toBe(0);
    // And the failed attempt does not hold up a retry with a cooldown.
    expect((await issueChallenge({ purpose: "sign_in_second_factor", channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp() })).ok).toBe(
      true,
    );
  });
});

// ───────────────────────────── Issuing: input and result ─────────────────────────────

describe("issueChallenge", () => {
  it("answers with the challenge, its expiry, when a resend is allowed and the masked target", async () => {
    const user = await makeUser();
    const now = new Date("2031-05-04T10:00:00.000Z");
    const result = await issueChallenge({
      purpose: "sign_in_second_factor",
      channel: "email",
      target: `  ${user.email.toUpperCase()} `,
      userId: user.id,
      requestIp: uniqueIp(),
      now,
    });
    expect(result).toEqual({
      ok: true,
      challengeId: expect.any(String),
      expiresAt: at(now, EMAIL_CODE_LIFETIME_SECONDS),
      resendAvailableAt: at(now, RESEND_COOLDOWN_SECONDS),
      maskedTarget: "u•••@example.test",
    });
    // The target is normalised before it is stored and hashed.
    const row = await challengeRow((result as { challengeId: string }).challengeId);
    expect(row).toMatchObject({
      target: user.email,
      purpose: "sign_in_second_factor",
      channel: "email",
      userId: user.id,
      attempts: 0,
      consumedAt: null,
      invalidatedAt: null,
      linkTokenHash: null,
    });
    expect(lastSentTo(user.email).subject).toBe("Your Veridesk sign-in code");
  });

  it("refuses malformed requests without echoing the values", async () => {
    const user = await makeUser();
    const base = { userId: user.id, requestIp: "203.0.113.9" };
    const attempts: IssueChallengeInput[] = [
      { ...base, purpose: "sign_in_second_factor", channel: "email", target: "secret-not-an-address" },
      { ...base, purpose: "sign_in_second_factor", channel: "sms", target: "07700 900123" },
      { ...base, purpose: "phone_verification", channel: "email", target: user.email },
      { ...base, purpose: "email_verification", channel: "sms", target: "+447700900123" },
      { ...base, purpose: "password_reset", channel: "email", target: user.email, withLink: true },
      { purpose: "password_reset", channel: "email", target: user.email, requestIp: "203.0.113.9" },
      { purpose: "caller_verification", channel: "sms", target: "+447700900123", requestIp: "203.0.113.9" },
    ];
    for (const input of attempts) {
      const error = await issueChallenge(input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidChallengeRequestError);
      expect((error as Error).message).not.toContain("secret-not-an-address");
      expect((error as Error).message).not.toContain("07700");
    }
  });

  it("sends the security email with the wording of its purpose and never the code in the subject", async () => {
    const user = await makeUser();
    await emailCodeFor(user, "password_reset");
    const sent = lastSentTo(user.email);
    expect(sent.subject).toBe("Reset your Veridesk password");
    expect(sent.subject).not.toContain(sent.code);
    expect(sent.text).toContain("Enter this code to choose a new password");
  });
});

// ───────────────────────────── Binding ─────────────────────────────

describe("a code is bound to its purpose, target and account", () => {
  it("a code for email verification never verifies a sign-in, and the other way round", async () => {
    const user = await makeUser();
    const now = new Date();
    const registration = await emailCodeFor(user, "email_verification", now);
    const signIn = await emailCodeFor(user, "sign_in_second_factor", now);
    if (registration.code === signIn.code) return expect.fail("codes collided (1 in a million); run again");

    const crossed = await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: registration.code, now });
    expect(crossed).toMatchObject({ ok: false, reason: "wrong_code" });
    expect(await verifyCode({ purpose: "email_verification", userId: user.id, code: signIn.code, now })).toMatchObject({ ok: false, reason: "wrong_code" });

    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: signIn.code, now })).toMatchObject({ ok: true });
    expect(await verifyCode({ purpose: "email_verification", userId: user.id, code: registration.code, now })).toMatchObject({ ok: true });
  });

  it("checks the purpose in the hash too: a row moved to another purpose no longer matches its code", async () => {
    const user = await makeUser();
    const sent = await emailCodeFor(user, "email_verification");
    await db.verificationChallenge.update({ where: { id: sent.challengeId }, data: { purpose: "password_reset" } });
    expect(await verifyCode({ purpose: "password_reset", userId: user.id, code: sent.code })).toMatchObject({ ok: false, reason: "wrong_code" });
  });

  it("a code sent to target A never verifies target B", async () => {
    const customer = await makeCustomer();
    const [phoneA, phoneB] = [uniquePhone(), uniquePhone()];
    const ip = uniqueIp();
    await issue({ purpose: "caller_verification", channel: "sms", target: phoneA, customerId: customer.id, requestIp: ip });
    await issue({ purpose: "caller_verification", channel: "sms", target: phoneB, customerId: customer.id, requestIp: ip });
    const codeA = lastSentTo(phoneA).code;
    const codeB = lastSentTo(phoneB).code;
    if (codeA === codeB) return expect.fail("codes collided (1 in a million); run again");

    expect(await verifyCode({ purpose: "caller_verification", customerId: customer.id, target: phoneB, code: codeA })).toMatchObject({
      ok: false,
      reason: "wrong_code",
    });
    expect(await verifyCode({ purpose: "caller_verification", customerId: customer.id, target: phoneA, code: codeA })).toMatchObject({ ok: true });
    expect(await verifyCode({ purpose: "caller_verification", customerId: customer.id, target: phoneB, code: codeB })).toMatchObject({ ok: true });
  });

  it("a code for user X never verifies user Y, even when Y names X's challenge", async () => {
    const [x, y] = [await makeUser(), await makeUser()];
    const forX = await emailCodeFor(x);
    const forY = await emailCodeFor(y);
    if (forX.code === forY.code) return expect.fail("codes collided (1 in a million); run again");

    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: y.id, code: forX.code })).toMatchObject({ ok: false, reason: "wrong_code" });
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: y.id, challengeId: forX.challengeId, code: forX.code })).toMatchObject({
      ok: false,
      reason: "no_challenge",
    });
    // X's code is still intact and Y's wrong entry was counted against Y only.
    expect((await userRow(x.id)).codeFailureCount).toBe(0);
    expect((await userRow(y.id)).codeFailureCount).toBe(1);
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: x.id, code: forX.code })).toMatchObject({ ok: true });
  });
});

// ───────────────────────────── Lifetimes ─────────────────────────────

describe("lifetimes", () => {
  it("stay within the rules: email codes ≤ 10 min, email links ≤ 24 h, SMS codes ≤ 10 min", () => {
    expect(EMAIL_CODE_LIFETIME_SECONDS).toBeLessThanOrEqual(10 * 60);
    expect(EMAIL_LINK_LIFETIME_SECONDS).toBeLessThanOrEqual(24 * 60 * 60);
    expect(SMS_CODE_LIFETIME_SECONDS).toBeLessThanOrEqual(10 * 60);
  });

  it("an email code works until its expiry and not at it", async () => {
    const now = new Date();
    const early = await emailCodeFor(await makeUser(), "sign_in_second_factor", now);
    const late = await emailCodeFor(await makeUser(), "sign_in_second_factor", now);
    const earlyRow = await challengeRow(early.challengeId);
    expect(earlyRow.expiresAt).toEqual(at(now, EMAIL_CODE_LIFETIME_SECONDS));

    expect(
      await verifyCode({ purpose: "sign_in_second_factor", challengeId: early.challengeId, code: early.code, now: at(now, EMAIL_CODE_LIFETIME_SECONDS - 1) }),
    ).toMatchObject({ ok: true });
    expect(
      await verifyCode({ purpose: "sign_in_second_factor", challengeId: late.challengeId, code: late.code, now: at(now, EMAIL_CODE_LIFETIME_SECONDS) }),
    ).toEqual({
      ok: false,
      reason: "expired",
      message: "This code has expired. Send a new one.",
    });
    // An expired code is not a guess: it costs the account nothing.
    expect((await challengeRow(late.challengeId)).attempts).toBe(0);
  });

  it("an SMS code expires after its lifetime", async () => {
    const user = await makeUser();
    const phone = uniquePhone();
    const now = new Date();
    const issued = await issue({ purpose: "phone_verification", channel: "sms", target: phone, userId: user.id, requestIp: uniqueIp(), now });
    expect(issued.expiresAt).toEqual(at(now, SMS_CODE_LIFETIME_SECONDS));
    const { code } = lastSentTo(phone);
    expect(await verifyCode({ purpose: "phone_verification", userId: user.id, code, now: at(now, SMS_CODE_LIFETIME_SECONDS) })).toMatchObject({
      ok: false,
      reason: "expired",
    });
    expect(await verifyCode({ purpose: "phone_verification", userId: user.id, code, now: at(now, SMS_CODE_LIFETIME_SECONDS - 1) })).toMatchObject({ ok: true });
  });
});

// ───────────────────────────── Single use ─────────────────────────────

describe("single use", () => {
  it("a code is consumed by its first successful use; a second use fails", async () => {
    const user = await makeUser();
    const { code, challengeId } = await emailCodeFor(user);
    const first = await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code });
    expect(first).toMatchObject({ ok: true, challenge: { id: challengeId, userId: user.id, purpose: "sign_in_second_factor" } });
    // Callers get the challenge without its hashes.
    expect(first.ok && "codeHash" in first.challenge).toBe(false);
    expect((await challengeRow(challengeId)).consumedAt).not.toBeNull();
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code })).toEqual({
      ok: false,
      reason: "used",
      message: "This code has already been used. Send a new one if you need to.",
    });
  });

  it("runs the caller's change in the consuming transaction: if the change fails, the code is not used up", async () => {
    const user = await makeUser();
    const { code, challengeId } = await emailCodeFor(user, "email_verification");
    const failing = verifyCode({
      purpose: "email_verification",
      userId: user.id,
      code,
      onVerified: async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
        throw new Error("the caller's change failed");
      },
    });
    await expect(failing).rejects.toThrow("the caller's change failed");
    expect((await challengeRow(challengeId)).consumedAt).toBeNull();
    expect((await userRow(user.id)).emailVerifiedAt).toBeNull();

    const verifiedAt = new Date("2031-01-01T00:00:00.000Z");
    const result = await verifyCode({
      purpose: "email_verification",
      userId: user.id,
      code,
      onVerified: async (tx, challenge) => {
        expect(challenge.consumedAt).not.toBeNull();
        await tx.user.update({ where: { id: challenge.userId! }, data: { emailVerifiedAt: verifiedAt } });
      },
    });
    expect(result.ok).toBe(true);
    expect((await userRow(user.id)).emailVerifiedAt).toEqual(verifiedAt);
  });

  it("of many concurrent correct submissions, exactly one succeeds", async () => {
    const user = await makeUser();
    const { code } = await emailCodeFor(user);
    const results = await Promise.all(Array.from({ length: 8 }, () => verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code })));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok).map((result) => !result.ok && result.reason)).toEqual(Array(7).fill("used"));
    expect(await db.auditEvent.count({ where: { subjectId: user.id, action: "identity.code_verified" } })).toBe(1);
  });

  it("a link and its code, submitted at the same time, succeed once together", async () => {
    const user = await makeUser();
    const { code, link } = await emailCodeFor(user, "email_verification", new Date(), true);
    const token = new URL(link!).searchParams.get("token")!;
    const results = await Promise.all([
      verifyLink({ token }),
      verifyCode({ purpose: "email_verification", userId: user.id, code }),
      verifyLink({ token, code }),
      verifyCode({ purpose: "email_verification", userId: user.id, code }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });
});

// ───────────────────────────── Wrong tries ─────────────────────────────

describe("at most 5 wrong tries per code", () => {
  it("counts down, kills the code at the 5th wrong try, and then refuses even the right code", async () => {
    const user = await makeUser();
    const { code, challengeId } = await emailCodeFor(user);
    const wrong = otherCode(code);
    const answers = [];
    for (let i = 0; i < MAX_WRONG_TRIES_PER_CODE; i++) answers.push(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: wrong }));

    expect(answers.slice(0, 4)).toEqual([
      { ok: false, reason: "wrong_code", triesLeft: 4, message: "That code is not right. 4 tries left." },
      { ok: false, reason: "wrong_code", triesLeft: 3, message: "That code is not right. 3 tries left." },
      { ok: false, reason: "wrong_code", triesLeft: 2, message: "That code is not right. 2 tries left." },
      { ok: false, reason: "wrong_code", triesLeft: 1, message: "That code is not right. 1 try left." },
    ]);
    expect(answers[4]).toMatchObject({ ok: false, reason: "too_many_tries", triesLeft: 0 });
    const row = await challengeRow(challengeId);
    expect(row.attempts).toBe(5);
    expect(row.invalidatedAt).not.toBeNull();

    const afterwards = await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code });
    expect(afterwards).toMatchObject({ ok: false, reason: "too_many_tries" });
    expect(!afterwards.ok && afterwards.message).toMatch(/no longer works.*Request a new one/);
    expect((await challengeRow(challengeId)).consumedAt).toBeNull();
  });

  it("counts concurrent wrong tries exactly: never more than 5 on the code, each one on the account", async () => {
    const user = await makeUser();
    const { code, challengeId } = await emailCodeFor(user);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: otherCode(code) })),
    );
    expect((await challengeRow(challengeId)).attempts).toBe(5);
    expect((await userRow(user.id)).codeFailureCount).toBe(5);
    expect(results.every((result) => !result.ok && (result.reason === "wrong_code" || result.reason === "too_many_tries"))).toBe(true);
    expect(results.filter((result) => !result.ok && result.reason === "wrong_code")).toHaveLength(4);
  });

  it("input that is not a 6-digit code costs no try", async () => {
    const user = await makeUser();
    const { code, challengeId } = await emailCodeFor(user);
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: "12ab" })).toMatchObject({
      ok: false,
      reason: "wrong_code",
      triesLeft: 5,
      message: "Enter the 6-digit code from the message.",
    });
    expect((await challengeRow(challengeId)).attempts).toBe(0);
    // Whatever lands in the field is a refusal, never an exception.
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: "9".repeat(10_000) })).toMatchObject({
      ok: false,
      reason: "wrong_code",
      triesLeft: 5,
    });
    expect(await verifyLink({ token: "A".repeat(10_000) })).toMatchObject({ ok: false, reason: "no_challenge" });
    expect(await verifyCode({ purpose: "sign_in_second_factor", challengeId: "' OR 1=1 --", code })).toMatchObject({ ok: false, reason: "no_challenge" });
    expect(await verifyCode({ purpose: "sign_in_second_factor", target: `${"a".repeat(400)}@example.com`, code })).toMatchObject({
      ok: false,
      reason: "no_challenge",
    });
    // What people type around a code is accepted.
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: ` ${code.slice(0, 3)} ${code.slice(3)} ` })).toMatchObject({ ok: true });
  });
});

// ───────────────────────────── Account lock ─────────────────────────────

describe("at most 100 consecutive failures per account", () => {
  it("counts every wrong code on the account; a new code does not reset the count, a success does", async () => {
    const user = await makeUser();
    const now = new Date();
    const first = await emailCodeFor(user, "sign_in_second_factor", now);
    for (let i = 0; i < 3; i++) await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: otherCode(first.code), now });
    expect((await userRow(user.id)).codeFailureCount).toBe(3);

    const second = await emailCodeFor(user, "password_reset", at(now, 1));
    const third = await emailCodeFor(user, "sign_in_second_factor", at(now, RESEND_COOLDOWN_SECONDS));
    expect((await userRow(user.id)).codeFailureCount).toBe(3);

    await verifyCode({ purpose: "password_reset", userId: user.id, code: otherCode(second.code), now: at(now, 61) });
    expect((await userRow(user.id)).codeFailureCount).toBe(4);

    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: third.code, now: at(now, 62) })).toMatchObject({ ok: true });
    expect((await userRow(user.id)).codeFailureCount).toBe(0);
  });

  it("locks code verification at the 100th consecutive failure across many codes, with an audit event", async () => {
    const user = await makeUser();
    const start = new Date();
    let failures = 0;
    // 20 codes × 5 wrong tries, one code an hour so no sending limit interferes.
    for (let round = 0; round < MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT / MAX_WRONG_TRIES_PER_CODE; round++) {
      const now = at(start, round * 3600);
      const { code } = await emailCodeFor(user, "sign_in_second_factor", now);
      for (let i = 0; i < MAX_WRONG_TRIES_PER_CODE; i++) {
        const result = await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: otherCode(code), now });
        failures++;
        if (failures < MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT) expect(result.ok === false && result.reason).not.toBe("locked");
        else expect(result).toEqual({ ok: false, reason: "locked", message: expect.stringContaining("staff must unlock") });
      }
      if (failures === MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT - MAX_WRONG_TRIES_PER_CODE) {
        expect(await userRow(user.id)).toMatchObject({ codeFailureCount: 95, codeLockedAt: null });
      }
    }
    const locked = await userRow(user.id);
    expect(locked.codeFailureCount).toBe(100);
    expect(locked.codeLockedAt).not.toBeNull();
    const event = await db.auditEvent.findFirstOrThrow({ where: { subjectId: user.id, action: "identity.code_verification_locked" } });
    expect(event.details).toMatchObject({ consecutiveFailures: 100 });

    // Locked: no new code is sent, and even a right code is refused.
    const later = at(start, 30 * 3600);
    const refused = await issueChallenge({
      purpose: "sign_in_second_factor",
      channel: "email",
      target: user.email,
      userId: user.id,
      requestIp: uniqueIp(),
      now: later,
    });
    expect(refused).toMatchObject({ ok: false, reason: "locked" });
    const live = await db.verificationChallenge.create({
      data: {
        purpose: "sign_in_second_factor",
        channel: "email",
        target: user.email,
        userId: user.id,
        codeHash: hashCode("135790", { purpose: "sign_in_second_factor", target: user.email }),
        expiresAt: at(later, 600),
        createdAt: later,
      },
    });
    expect(await verifyCode({ purpose: "sign_in_second_factor", challengeId: live.id, code: "135790", now: later })).toMatchObject({
      ok: false,
      reason: "locked",
    });
    expect((await challengeRow(live.id)).consumedAt).toBeNull();
  });

  it("kills the codes already sent when it locks", async () => {
    const user = await makeUser();
    const other = await emailCodeFor(user, "password_reset");
    const current = await emailCodeFor(user, "sign_in_second_factor");
    await db.user.update({ where: { id: user.id }, data: { codeFailureCount: MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT - 1 } });
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: otherCode(current.code) })).toMatchObject({ reason: "locked" });
    expect((await challengeRow(other.challengeId)).invalidatedAt).not.toBeNull();
  });

  it("staff (supervisors and admins) unlock it; agents and customers cannot", async () => {
    const user = await makeUser();
    await db.user.update({ where: { id: user.id }, data: { codeFailureCount: 100, codeLockedAt: new Date() } });
    const agent = await makeUser("agent");
    const supervisor = await makeUser("supervisor");

    expect(await unlockCodeVerification(user.id, { userId: agent.id, role: "agent" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await unlockCodeVerification(user.id, { userId: user.id, role: "customer" })).toEqual({ ok: false, reason: "forbidden" });
    expect((await userRow(user.id)).codeLockedAt).not.toBeNull();

    expect(await unlockCodeVerification(user.id, { userId: supervisor.id, role: "supervisor" }, "203.0.113.7")).toEqual({ ok: true, failuresCleared: 100 });
    expect(await userRow(user.id)).toMatchObject({ codeLockedAt: null, codeFailureCount: 0 });
    const event = await db.auditEvent.findFirstOrThrow({ where: { subjectId: user.id, action: "identity.code_verification_unlocked" } });
    expect(event).toMatchObject({ actorUserId: supervisor.id, actorRole: "supervisor", ip: "203.0.113.7" });

    expect(await unlockCodeVerification(user.id, { userId: supervisor.id, role: "supervisor" })).toEqual({ ok: false, reason: "not_locked" });
    expect(await unlockCodeVerification(randomUUID(), { userId: supervisor.id, role: "admin" })).toEqual({ ok: false, reason: "no_user" });

    const { code } = await emailCodeFor(user);
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code })).toMatchObject({ ok: true });
  });
});

// ───────────────────────────── Superseding ─────────────────────────────

describe("a new code supersedes older ones", () => {
  it("invalidates the older unused code of the same user and purpose, but not of other purposes", async () => {
    const user = await makeUser();
    const now = new Date();
    const old = await emailCodeFor(user, "sign_in_second_factor", now);
    const otherPurpose = await emailCodeFor(user, "password_reset", now);
    const fresh = await emailCodeFor(user, "sign_in_second_factor", at(now, RESEND_COOLDOWN_SECONDS));
    const later = at(now, RESEND_COOLDOWN_SECONDS + 1);

    expect((await challengeRow(old.challengeId)).invalidatedAt).toEqual(at(now, RESEND_COOLDOWN_SECONDS));
    expect((await challengeRow(otherPurpose.challengeId)).invalidatedAt).toBeNull();
    expect(await verifyCode({ purpose: "sign_in_second_factor", challengeId: old.challengeId, code: old.code, now: later })).toMatchObject({
      ok: false,
      reason: "expired",
      message: expect.stringContaining("replaced by a newer one"),
    });
    if (old.code !== fresh.code) {
      expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: old.code, now: later })).toMatchObject({
        ok: false,
        reason: "wrong_code",
      });
    }
    expect(await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: fresh.code, now: later })).toMatchObject({ ok: true });
    expect(await verifyCode({ purpose: "password_reset", userId: user.id, code: otherPurpose.code, now: later })).toMatchObject({ ok: true });
  });
});

// ───────────────────────────── Sending limits ─────────────────────────────

describe("resend cooldown and hourly cap", () => {
  it("refuses a resend within 60 s with the seconds left, and allows it after", async () => {
    const user = await makeUser();
    const now = new Date();
    const first = await emailCodeFor(user, "sign_in_second_factor", now);
    expect(first.resendAvailableAt).toEqual(at(now, RESEND_COOLDOWN_SECONDS));

    const tooSoon = await issueChallenge({
      purpose: "sign_in_second_factor",
      channel: "email",
      target: user.email,
      userId: user.id,
      requestIp: uniqueIp(),
      now: at(now, 18),
    });
    expect(tooSoon).toEqual({
      ok: false,
      reason: "cooldown",
      retryAfterSeconds: 42,
      availableAt: at(now, RESEND_COOLDOWN_SECONDS),
      message: "Please wait 42 seconds before asking for another code.",
    });
    // Another purpose has its own cooldown.
    expect(
      (await issueChallenge({ purpose: "password_reset", channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp(), now: at(now, 18) })).ok,
    ).toBe(true);
    expect(
      (
        await issueChallenge({
          purpose: "sign_in_second_factor",
          channel: "email",
          target: user.email,
          userId: user.id,
          requestIp: uniqueIp(),
          now: at(now, 60),
        })
      ).ok,
    ).toBe(true);
  });

  it("never lets one purpose's cooldown block another purpose's first code (turning on two-factor, then signing in)", async () => {
    const user = await makeUser();
    const now = new Date();
    const send = (purpose: ChallengePurpose, seconds: number, target = user.email) =>
      issueChallenge({ purpose, channel: "email", target, userId: user.id, requestIp: uniqueIp(), now: at(now, seconds) });

    expect((await send("two_factor_setup", 0)).ok).toBe(true);
    // Nine seconds later, the first sign-in code goes out at once…
    const signIn = await send("sign_in_second_factor", 9);
    expect(signIn).toMatchObject({ ok: true, resendAvailableAt: at(now, 9 + RESEND_COOLDOWN_SECONDS) });
    // …and the sign-in's own cooldown still refuses a second one, saying until when.
    expect(await send("sign_in_second_factor", 20)).toMatchObject({
      ok: false,
      reason: "cooldown",
      retryAfterSeconds: RESEND_COOLDOWN_SECONDS - 11,
      availableAt: at(now, 9 + RESEND_COOLDOWN_SECONDS),
    });
    // The cooldown is per target too: a code for a new address is not held back by the old one's.
    expect((await send("email_change", 21, `new-${user.email}`)).ok).toBe(true);
    expect((await send("email_change", 22, `other-${user.email}`)).ok).toBe(true);
    expect(await send("email_change", 23, `other-${user.email}`)).toMatchObject({ ok: false, reason: "cooldown" });
  });

  it("keeps the hourly cap per target across purposes, whatever their cooldowns", async () => {
    const user = await makeUser();
    const now = new Date();
    const purposes: ChallengePurpose[] = ["two_factor_setup", "sign_in_second_factor", "password_reset", "email_change", "phone_change"];
    for (const [i, purpose] of purposes.entries()) {
      expect((await issueChallenge({ purpose, channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp(), now: at(now, i) })).ok).toBe(true);
    }
    expect(
      await issueChallenge({ purpose: "password_reset", channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp(), now: at(now, 120) }),
    ).toMatchObject({ ok: false, reason: "hourly_limit", availableAt: at(now, 3600) });
  });

  it("lets only one of several simultaneous requests through", async () => {
    const user = await makeUser();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        issueChallenge({ purpose: "sign_in_second_factor", channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp() }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === "cooldown")).toHaveLength(5);
    expect(await db.verificationChallenge.count({ where: { userId: user.id } })).toBe(1);
  });

  it("caps the codes one account sends to new addresses in an hour, whatever the targets, and never its sign-in codes", async () => {
    const user = await makeUser();
    const now = new Date();
    const newAddress = (i: number) => `change-${i}-${user.id}@example.com`;
    for (let i = 0; i < MAX_CHANGE_SENDS_PER_ACCOUNT_PER_HOUR; i++) {
      const sent = await issueChallenge({
        purpose: "email_change",
        channel: "email",
        target: newAddress(i),
        userId: user.id,
        requestIp: uniqueIp(),
        now: at(now, i),
      });
      expect(sent.ok).toBe(true);
    }
    const capped = await issueChallenge({
      purpose: "email_change",
      channel: "email",
      target: newAddress(99),
      userId: user.id,
      requestIp: uniqueIp(),
      now: at(now, 20),
    });
    expect(capped).toMatchObject({ ok: false, reason: "account_hourly_limit", availableAt: at(now, 3600) });
    expect(
      (
        await issueChallenge({
          purpose: "sign_in_second_factor",
          channel: "email",
          target: user.email,
          userId: user.id,
          requestIp: uniqueIp(),
          now: at(now, 21),
        })
      ).ok,
    ).toBe(true);
    expect(
      (await issueChallenge({ purpose: "email_change", channel: "email", target: newAddress(99), userId: user.id, requestIp: uniqueIp(), now: at(now, 3600) }))
        .ok,
    ).toBe(true);
  });

  it("caps the codes sent to one target in an hour, all purposes together", async () => {
    const user = await makeUser();
    const now = new Date();
    const purposes: ChallengePurpose[] = ["sign_in_second_factor", "password_reset", "email_change", "sign_in_second_factor", "password_reset"];
    for (const [i, purpose] of purposes.entries()) await emailCodeFor(user, purpose, at(now, i * 61));
    expect(purposes).toHaveLength(MAX_SENDS_PER_TARGET_PER_HOUR);

    const capped = await issueChallenge({
      purpose: "email_change",
      channel: "email",
      target: user.email,
      userId: user.id,
      requestIp: uniqueIp(),
      now: at(now, 5 * 61),
    });
    expect(capped).toMatchObject({ ok: false, reason: "hourly_limit", retryAfterSeconds: 3600 - 5 * 61 });
    expect(!capped.ok && capped.message).toBe("Too many codes have been sent to this address in the last hour. Try again in 55 minutes.");
    expect(
      (await issueChallenge({ purpose: "email_change", channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp(), now: at(now, 3600) })).ok,
    ).toBe(true);
  });
});

describe("SMS pumping limits", () => {
  it("caps SMS codes per number per day", async () => {
    const user = await makeUser();
    const phone = uniquePhone();
    const now = new Date();
    for (let i = 0; i < MAX_SMS_PER_NUMBER_PER_DAY; i++) {
      await issue({ purpose: "sign_in_second_factor", channel: "sms", target: phone, userId: user.id, requestIp: uniqueIp(), now: at(now, i * 2 * 3600) });
    }
    const refused = await issueChallenge({
      purpose: "sign_in_second_factor",
      channel: "sms",
      target: phone,
      userId: user.id,
      requestIp: uniqueIp(),
      now: at(now, 10 * 3600),
    });
    expect(refused).toMatchObject({ ok: false, reason: "daily_number_limit", retryAfterSeconds: 14 * 3600 });
    expect(!refused.ok && refused.message).toContain("This number has received as many codes as we send in a day");
    expect(await db.auditEvent.count({ where: { subjectId: user.id, action: "identity.code_send_refused" } })).toBe(1);
    expect(
      (
        await issueChallenge({
          purpose: "sign_in_second_factor",
          channel: "sms",
          target: phone,
          userId: user.id,
          requestIp: uniqueIp(),
          now: at(now, 24 * 3600),
        })
      ).ok,
    ).toBe(true);
  });

  it("caps SMS codes per requesting IP per day, across all numbers, even when requested all at once", async () => {
    const ip = uniqueIp();
    const now = new Date();
    const users = await Promise.all(Array.from({ length: MAX_SMS_PER_IP_PER_DAY + 5 }, () => makeUser()));
    const results = await Promise.all(
      users.map((user) => issueChallenge({ purpose: "phone_verification", channel: "sms", target: uniquePhone(), userId: user.id, requestIp: ip, now })),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(MAX_SMS_PER_IP_PER_DAY);
    const refused = results.filter((result) => !result.ok);
    expect(refused.every((result) => !result.ok && result.reason === "daily_ip_limit" && result.retryAfterSeconds === 24 * 3600)).toBe(true);

    // Email is not capped by it, nor is another IP.
    const user = await makeUser();
    expect((await issueChallenge({ purpose: "sign_in_second_factor", channel: "email", target: user.email, userId: user.id, requestIp: ip, now })).ok).toBe(
      true,
    );
    expect(
      (await issueChallenge({ purpose: "phone_verification", channel: "sms", target: uniquePhone(), userId: user.id, requestIp: uniqueIp(), now })).ok,
    ).toBe(true);
  });

  it("does not count or cap caller verification, which staff send from a shared office IP", async () => {
    const ip = uniqueIp();
    const now = new Date();
    const customer = await makeCustomer();
    for (let i = 0; i < MAX_SMS_PER_IP_PER_DAY + 2; i++) {
      await issue({ purpose: "caller_verification", channel: "sms", target: uniquePhone(), customerId: customer.id, requestIp: ip, now });
    }
    const user = await makeUser();
    expect((await issueChallenge({ purpose: "phone_verification", channel: "sms", target: uniquePhone(), userId: user.id, requestIp: ip, now })).ok).toBe(true);
  });
});

// ───────────────────────────── Email links ─────────────────────────────

describe("email links", () => {
  it("are built on the public base URL with the token in the query and the code in the fragment", async () => {
    const user = await makeUser();
    const now = new Date();
    const sent = await emailCodeFor(user, "email_verification", now, true);
    expect(sent.link).toMatch(new RegExp(`^${publicBaseUrl().replace(/[.:/]/g, "\\$&")}/verify/email\\?token=[A-Za-z0-9_-]{43}#code=${sent.code}$`));
    expect(sent.linkExpiresAt).toEqual(at(now, EMAIL_LINK_LIFETIME_SECONDS));
    expect(sent.subject).toBe("Verify your email address for Veridesk");
    expect(sent.text).toContain("Verify my email address");
  });

  it("opening the link (peek) shows the masked target and consumes nothing", async () => {
    const user = await makeUser();
    const sent = await emailCodeFor(user, "email_verification", new Date(), true);
    const token = new URL(sent.link!).searchParams.get("token")!;
    const before = await challengeRow(sent.challengeId);
    for (let i = 0; i < 3; i++) {
      expect(await peekLink(token)).toEqual({
        ok: true,
        challengeId: sent.challengeId,
        purpose: "email_verification",
        maskedTarget: "u•••@example.test",
        linkExpiresAt: before.linkExpiresAt,
      });
    }
    expect(await challengeRow(sent.challengeId)).toEqual(before);
  });

  it("works with the token alone, in another browser (no session, no user id), once", async () => {
    const user = await makeUser();
    const sent = await emailCodeFor(user, "email_verification", new Date(), true);
    const token = new URL(sent.link!).searchParams.get("token")!;
    expect(await verifyLink({ token })).toMatchObject({ ok: true, challenge: { id: sent.challengeId, userId: user.id } });
    expect(await verifyLink({ token })).toEqual({ ok: false, reason: "used", message: "This link has already been used." });
    expect(await peekLink(token)).toMatchObject({ ok: false, reason: "used" });
    expect(await verifyCode({ purpose: "email_verification", userId: user.id, code: sent.code })).toMatchObject({ ok: false, reason: "used" });
  });

  it("checks the code from the fragment when given, counting a wrong one as a try", async () => {
    const user = await makeUser();
    const sent = await emailCodeFor(user, "email_verification", new Date(), true);
    const token = new URL(sent.link!).searchParams.get("token")!;
    expect(await verifyLink({ token, code: otherCode(sent.code) })).toMatchObject({ ok: false, reason: "wrong_code", triesLeft: 4 });
    expect((await userRow(user.id)).codeFailureCount).toBe(1);
    expect(await verifyLink({ token, code: new URL(sent.link!).hash.replace("#code=", "") })).toMatchObject({ ok: true });
  });

  it("keeps working for 24 hours after the code's own 10 minutes, and not after", async () => {
    const now = new Date();
    const a = await emailCodeFor(await makeUser(), "email_verification", now, true);
    const b = await emailCodeFor(await makeUser(), "email_verification", now, true);
    const tokenA = new URL(a.link!).searchParams.get("token")!;
    const tokenB = new URL(b.link!).searchParams.get("token")!;
    const codeExpired = at(now, EMAIL_CODE_LIFETIME_SECONDS + 60);
    expect(await verifyCode({ purpose: "email_verification", challengeId: a.challengeId, code: a.code, now: codeExpired })).toMatchObject({
      reason: "expired",
    });
    expect(await verifyLink({ token: tokenA, code: a.code, now: at(now, EMAIL_LINK_LIFETIME_SECONDS - 1) })).toMatchObject({ ok: true });
    expect(await verifyLink({ token: tokenB, now: at(now, EMAIL_LINK_LIFETIME_SECONDS) })).toEqual({
      ok: false,
      reason: "expired",
      message: "This link has expired. Send a new one.",
    });
    expect(await peekLink(tokenB, at(now, EMAIL_LINK_LIFETIME_SECONDS))).toMatchObject({ ok: false, reason: "expired" });
  });

  it("refuses unknown, malformed and superseded links", async () => {
    const user = await makeUser();
    const now = new Date();
    const first = await emailCodeFor(user, "email_verification", now, true);
    await emailCodeFor(user, "email_verification", at(now, RESEND_COOLDOWN_SECONDS), true);
    const oldToken = new URL(first.link!).searchParams.get("token")!;
    expect(await verifyLink({ token: oldToken, now: at(now, RESEND_COOLDOWN_SECONDS + 1) })).toMatchObject({
      ok: false,
      reason: "expired",
      message: expect.stringContaining("replaced by a newer one"),
    });
    expect(await verifyLink({ token: "x".repeat(43) })).toMatchObject({ ok: false, reason: "no_challenge" });
    expect(await verifyLink({ token: "not a token" })).toMatchObject({ ok: false, reason: "no_challenge" });
    expect(await peekLink("")).toMatchObject({ ok: false, reason: "no_challenge" });
    // A link is bound to its purpose as well.
    expect(await verifyLink({ token: oldToken, purpose: "password_reset" })).toMatchObject({ ok: false, reason: "no_challenge" });
  });
});

// ───────────────────────────── Caller verification and enumeration ─────────────────────────────

describe("agent-run caller verification", () => {
  it("binds the code to the customer and ticket and records the agent who sent it", async () => {
    const customer = await makeCustomer();
    const agent = await makeUser("agent");
    const ticketId = randomUUID();
    const phone = uniquePhone();
    const issued = await issue({
      purpose: "caller_verification",
      channel: "sms",
      target: phone,
      customerId: customer.id,
      ticketId,
      requestIp: uniqueIp(),
      actor: { userId: agent.id, role: "agent" },
    });
    const { code, text } = lastSentTo(phone);
    expect(text).toContain("Read it to the agent only if you contacted us.");

    expect(await verifyCode({ purpose: "caller_verification", ticketId: randomUUID(), code })).toMatchObject({ ok: false, reason: "no_challenge" });
    expect(await verifyCode({ purpose: "caller_verification", challengeId: issued.challengeId, ticketId, code })).toMatchObject({
      ok: true,
      challenge: { customerId: customer.id, ticketId },
    });
    const sentEvent = await db.auditEvent.findFirstOrThrow({ where: { subjectId: customer.id, action: "identity.code_sent" } });
    expect(sentEvent).toMatchObject({ actorUserId: agent.id, actorRole: "agent", subjectType: "Customer" });
  });
});

describe("no account enumeration", () => {
  it("simulateIssueDelay and issueChallengeOrSimulate(null) wait like a send and send nothing", async () => {
    const [challenges, messages] = [await db.verificationChallenge.count(), await db.outboxMessage.count()];
    const sentBefore = outbox.sent.length;
    await expect(simulateIssueDelay()).resolves.toBeUndefined();
    await expect(issueChallengeOrSimulate(null)).resolves.toBeNull();
    expect(await db.verificationChallenge.count()).toBe(challenges);
    expect(await db.outboxMessage.count()).toBe(messages);
    expect(outbox.sent.length).toBe(sentBefore);
  });

  it("issueChallengeOrSimulate sends for an existing account and reports refusals only to the caller", async () => {
    const user = await makeUser();
    const input: IssueChallengeInput = { purpose: "password_reset", channel: "email", target: user.email, userId: user.id, requestIp: uniqueIp() };
    expect(await issueChallengeOrSimulate(input)).toMatchObject({ ok: true });
    expect(await issueChallengeOrSimulate(input)).toMatchObject({ ok: false, reason: "cooldown" });
    expect(outbox.sent.filter((sent) => sent.to === user.email)).toHaveLength(1);
  });
});

describe("audit trail", () => {
  it("records who and where for failures and successes", async () => {
    const user = await makeUser();
    const { code } = await emailCodeFor(user);
    await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code: otherCode(code), requestIp: "203.0.113.20" });
    await verifyCode({ purpose: "sign_in_second_factor", userId: user.id, code, requestIp: "203.0.113.21" });
    const events = await db.auditEvent.findMany({
      where: { subjectId: user.id, action: { in: ["identity.code_failed", "identity.code_verified"] } },
      orderBy: { id: "asc" },
    });
    expect(events).toMatchObject([
      {
        action: "identity.code_failed",
        ip: "203.0.113.20",
        subjectType: "User",
        details: { purpose: "sign_in_second_factor", channel: "email", via: "code", attempt: 1, codeInvalidated: false },
      },
      { action: "identity.code_verified", ip: "203.0.113.21", subjectType: "User", details: { purpose: "sign_in_second_factor", via: "code" } },
    ]);
  });
});
