import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db } from "@/platform/db/client";
import { openSealedText } from "@/platform/outbox/sealed";
import { peekLink } from "@/features/verification/challenges";
import { MAX_WRONG_TRIES_PER_CODE, RESEND_COOLDOWN_SECONDS } from "@/features/verification/limits";
import { hashPassword, verifyPassword } from "@/features/accounts/password/password";
import { openPendingRegistration, sealPendingRegistration } from "@/features/accounts/registration/pending-registration";
import {
  CODE_MESSAGES,
  correctPendingAddress,
  MAX_ADDRESS_CORRECTIONS,
  REGISTRATIONS_PER_IP_PER_HOUR,
  registerCustomer,
  RegistrationRefusedError,
  resendPendingCode,
  startVerificationForAccount,
  verifyEmailLinkAndMatch,
  verifyPendingCode,
} from "@/features/accounts/registration/registration";
import { EXISTING_ACCOUNT_NOTICE_SUBJECT } from "@/features/accounts/registration/registration-emails";
import { registrationSchema, type RegistrationInput } from "@/features/accounts/registration/schemas";

// ───────────────────────────── Fixtures ─────────────────────────────

const unique = () => randomUUID().slice(0, 8);
const uniqueIp = () => `192.0.2.${randomInt(1, 255)}-${unique()}`;
const newAddress = (label = "new") => `${label}-${unique()}@registrant.example`;
const later = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const otherCode = (code: string) => ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");

function input(overrides: Partial<Record<keyof ReturnType<typeof rawInput>, string>> = {}): RegistrationInput {
  return registrationSchema.parse({ ...rawInput(), ...overrides });
}

function rawInput() {
  return {
    name: "Rae Registrant",
    email: newAddress(),
    password: "saffron-lantern-93",
    phoneCountry: "AU",
    phone: "0491 570 159",
    accountHint: "Northwind Traders",
  };
}

interface Sent {
  kind: string;
  subject: string | null;
  text: string;
  code?: string;
  token?: string;
}

/** Everything queued to an address, oldest first, with sealed bodies opened. */
async function mailTo(address: string): Promise<Sent[]> {
  const rows = await db.outboxMessage.findMany({ where: { recipient: normalizeEmail(address) }, orderBy: { createdAt: "asc" } });
  return rows.map((row) => {
    const text = row.sensitive && row.textBody ? openSealedText(row.textBody) : (row.textBody ?? "");
    const code = /^(\d{6})$/m.exec(text)?.[1];
    const token = /\/verify\/email\?token=([A-Za-z0-9_-]{43})#code=\d{6}/.exec(text)?.[1];
    return { kind: row.kind, subject: row.subject, text, ...(code ? { code } : {}), ...(token ? { token } : {}) };
  });
}

async function lastCodeTo(address: string): Promise<{ code: string; token: string }> {
  const codes = (await mailTo(address)).filter((mail) => mail.code);
  const last = codes.at(-1);
  if (!last?.code || !last.token) throw new Error(`no code was sent to ${address}`);
  return { code: last.code, token: last.token };
}

async function makeCustomerWithAlias() {
  const id = unique();
  const alias = `alias-${id}@home.example`;
  const customer = await db.customer.create({
    data: {
      accountNumber: `TEST-${id}`,
      name: `Customer ${id}`,
      emails: {
        create: [
          { address: `primary-${id}@company.example`, normalized: `primary-${id}@company.example`, isPrimary: true },
          { address: alias, normalized: alias, isPrimary: false },
        ],
      },
    },
  });
  return { customer, alias };
}

async function existingUser() {
  return db.user.create({
    data: { email: newAddress("owner"), name: "Existing Owner", role: "customer", passwordHash: "$argon2id$unused", emailVerifiedAt: new Date() },
  });
}

const usersWithEmail = (email: string) => db.user.count({ where: { email: normalizeEmail(email) } });

// ───────────────────────────── Registering ─────────────────────────────

describe("registerCustomer", () => {
  it("creates an unverified customer account with the mobile unverified and the hint, and emails a code and a link", async () => {
    const registration = input({ email: "Rae.New-" + unique() + "@Registrant.example" });
    const { state, view } = await registerCustomer(registration, { ip: uniqueIp() });

    const user = await db.user.findUniqueOrThrow({ where: { email: normalizeEmail(registration.email) } });
    expect(user).toMatchObject({
      role: "customer",
      name: "Rae Registrant",
      emailVerifiedAt: null,
      phoneE164: "+61491570159",
      phoneVerifiedAt: null,
      accountHint: "Northwind Traders",
      customerId: null,
      matchStatus: null,
    });
    expect(await verifyPassword(user.passwordHash!, "saffron-lantern-93")).toBe(true);
    expect(state.userId).toBe(user.id);
    expect(view.maskedEmail).toBe("r•••@registrant.example");
    expect(view.resendAvailableAt.getTime()).toBeGreaterThan(Date.now() + (RESEND_COOLDOWN_SECONDS - 5) * 1000);

    const sent = await mailTo(registration.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "verification-code", subject: expect.stringMatching(/^Verify your email address/) });
    expect(sent[0]!.code).toMatch(/^\d{6}$/);
    expect(sent[0]!.token).toBeDefined();
  });

  it("refuses a disposable address and stores nothing", async () => {
    const email = `someone-${unique()}@mailinator.com`;
    const before = await db.outboxMessage.count();
    await expect(registerCustomer(input({ email }), { ip: uniqueIp() })).rejects.toThrow(RegistrationRefusedError);
    await expect(registerCustomer(input({ email }), { ip: uniqueIp() })).rejects.toMatchObject({
      field: "email",
      message: expect.stringMatching(/disposable/),
    });
    expect(await usersWithEmail(email)).toBe(0);
    expect(await db.outboxMessage.count()).toBe(before);
  });

  it("never gets bad input: the schema the action parses refuses it, so nothing is stored", () => {
    const bad = [
      { ...rawInput(), name: "" },
      { ...rawInput(), name: "x".repeat(101) },
      { ...rawInput(), name: "<img src=x onerror=alert(1)>" },
      { ...rawInput(), email: "not an address" },
      { ...rawInput(), password: "short" },
      { ...rawInput(), phone: "12" },
      { ...rawInput(), accountHint: "<b>ACC</b>" },
      { ...rawInput(), email: 42 },
      {},
    ];
    for (const value of bad) expect(registrationSchema.safeParse(value).success).toBe(false);
  });

  it("answers an existing address exactly like a new one, emails its owner a notice instead of a code, and creates no second account", async () => {
    const owner = await existingUser();
    const ip = uniqueIp();
    const fresh = await registerCustomer(input(), { ip });
    const taken = await registerCustomer(input({ email: owner.email.toUpperCase() }), { ip });

    // Same shape, same kind of values, same cookie size.
    expect(Object.keys(taken)).toEqual(Object.keys(fresh));
    expect(Object.keys(taken.state).sort()).toEqual(Object.keys(fresh.state).sort());
    expect(Object.keys(taken.view).sort()).toEqual(Object.keys(fresh.view).sort());
    expect(taken.view.maskedEmail).toMatch(/^o•••@registrant\.example$/);
    expect(taken.view.resendAvailableAt.getTime() - Date.now()).toBeGreaterThan((RESEND_COOLDOWN_SECONDS - 5) * 1000);
    expect(sealPendingRegistration(taken.state).length).toBe(sealPendingRegistration({ ...fresh.state, email: taken.state.email }).length);

    expect(await usersWithEmail(owner.email)).toBe(1);
    expect(await db.user.findUnique({ where: { id: taken.state.userId } })).toBeNull();
    const sent = await mailTo(owner.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "registration-existing-account", subject: EXISTING_ACCOUNT_NOTICE_SUBJECT });
    expect(sent[0]!.text).toMatch(/sign in/i);
    expect(sent[0]!.code).toBeUndefined();
    expect(await db.verificationChallenge.count({ where: { target: owner.email } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "registration.existing_address", subjectId: owner.id } })).toBe(1);
  });

  it("takes about as long for an existing address as for a new one (the password is hashed either way)", async () => {
    const owner = await existingUser();
    const ip = uniqueIp();
    const timed = async (email: string) => {
      const started = performance.now();
      await registerCustomer(input({ email }), { ip });
      return performance.now() - started;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    // Warm up, then compare medians of five, interleaved (a busy machine slows both alike).
    await timed(newAddress());
    const fresh: number[] = [];
    const taken: number[] = [];
    const hashing: number[] = [];
    for (let round = 0; round < 5; round++) {
      fresh.push(await timed(newAddress()));
      taken.push(await timed(owner.email));
      const started = performance.now();
      await hashPassword("saffron-lantern-93");
      hashing.push(performance.now() - started);
    }
    // The taken address's answer includes a password hash…
    expect(median(taken)).toBeGreaterThan(median(hashing) * 0.6);
    // …and is neither much quicker nor much slower than a real registration.
    expect(median(taken)).toBeGreaterThan(median(fresh) / 3);
    expect(median(taken)).toBeLessThan(median(fresh) * 3);
  });

  it("limits notices to one address so it cannot be flooded", async () => {
    const owner = await existingUser();
    for (let round = 0; round < 5; round++) await registerCustomer(input({ email: owner.email }), { ip: uniqueIp() });
    expect((await mailTo(owner.email)).length).toBe(3);
  });

  it("limits registrations from one IP address", async () => {
    const ip = uniqueIp();
    for (let round = 0; round < REGISTRATIONS_PER_IP_PER_HOUR; round++) await registerCustomer(input(), { ip });
    const email = newAddress();
    await expect(registerCustomer(input({ email }), { ip })).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/Too many sign-ups/),
    });
    expect(await usersWithEmail(email)).toBe(0);
  });
});

// ───────────────────────────── Verifying ─────────────────────────────

describe("verifyPendingCode", () => {
  it("verifies the address and links the account through an alias", async () => {
    const { customer, alias } = await makeCustomerWithAlias();
    const { state } = await registerCustomer(input({ email: alias.toUpperCase() }), { ip: uniqueIp() });
    const { code } = await lastCodeTo(alias);
    const result = await verifyPendingCode(state, code, { ip: uniqueIp() });
    expect(result).toMatchObject({ ok: true, match: { status: "matched", customerId: customer.id, via: "alias" } });
    expect(await db.user.findUniqueOrThrow({ where: { id: state.userId } })).toMatchObject({
      customerId: customer.id,
      matchStatus: "matched",
      emailVerifiedAt: expect.any(Date),
    });
  });

  it("leaves an address that matches nobody awaiting a match", async () => {
    const { state } = await registerCustomer(input(), { ip: uniqueIp() });
    const { code } = await lastCodeTo(state.email);
    expect(await verifyPendingCode(state, code, { ip: uniqueIp() })).toMatchObject({ ok: true, match: { status: "awaiting_match" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: state.userId } })).matchStatus).toBe("awaiting_match");
  });

  it("links nobody by an organisation's mail domain: the account still waits for a reviewer", async () => {
    const domain = `org-${unique()}.example`;
    const organisation = await db.organisation.create({ data: { name: domain, normalizedName: domain, domains: { create: { domain } } } });
    const colleague = await db.customer.create({
      data: {
        accountNumber: `TEST-${unique()}`,
        name: "Colleague",
        organisationId: organisation.id,
        emails: { create: { address: `c@${domain}`, normalized: `c@${domain}`, isPrimary: true } },
      },
    });
    const { state } = await registerCustomer(input({ email: `newcomer-${unique()}@${domain}` }), { ip: uniqueIp() });
    const { code } = await lastCodeTo(state.email);
    expect(await verifyPendingCode(state, code, { ip: uniqueIp() })).toMatchObject({ ok: true, match: { status: "awaiting_match" } });
    expect(await db.user.findUniqueOrThrow({ where: { id: state.userId } })).toMatchObject({ customerId: null, matchStatus: "awaiting_match" });
    expect(await db.customer.count({ where: { organisationId: organisation.id } })).toBe(1);
    expect(colleague.organisationId).toBe(organisation.id);
  });

  it("kills the code after five wrong tries: the sixth try with the right code fails", async () => {
    let { state } = await registerCustomer(input(), { ip: uniqueIp() });
    const { code } = await lastCodeTo(state.email);
    const messages: string[] = [];
    for (let round = 0; round < MAX_WRONG_TRIES_PER_CODE; round++) {
      const result = await verifyPendingCode(state, otherCode(code), { ip: uniqueIp() });
      if (result.ok) throw new Error("a wrong code was accepted");
      messages.push(result.message);
      state = result.state;
    }
    expect(messages).toEqual([CODE_MESSAGES.wrong(4), CODE_MESSAGES.wrong(3), CODE_MESSAGES.wrong(2), CODE_MESSAGES.wrong(1), CODE_MESSAGES.lastWrong]);
    const sixth = await verifyPendingCode(state, code, { ip: uniqueIp() });
    expect(sixth).toMatchObject({ ok: false, reason: "too_many_tries", message: CODE_MESSAGES.tooManyTries });
    expect((await db.user.findUniqueOrThrow({ where: { id: state.userId } })).emailVerifiedAt).toBeNull();
  });

  it("answers a decoy's codes exactly like a real account's wrong codes, try after try", async () => {
    const owner = await existingUser();
    let real = (await registerCustomer(input(), { ip: uniqueIp() })).state;
    let decoy = (await registerCustomer(input({ email: owner.email }), { ip: uniqueIp() })).state;
    const { code } = await lastCodeTo(real.email);
    for (let round = 0; round <= MAX_WRONG_TRIES_PER_CODE; round++) {
      const a = await verifyPendingCode(real, otherCode(code), { ip: uniqueIp() });
      const b = await verifyPendingCode(decoy, "123456", { ip: uniqueIp() });
      if (a.ok || b.ok) throw new Error("a wrong code was accepted");
      expect({ reason: b.reason, message: b.message }).toEqual({ reason: a.reason, message: a.message });
      real = a.state;
      decoy = b.state;
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({ codeFailureCount: 0 });
  });

  it("answers identically when the first cookie is replayed with wrong codes (the decoy's tries are kept on the server)", async () => {
    const owner = await existingUser();
    // The browser's first cookie, sealed, replayed for every try instead of the one each answer sets.
    const realCookie = sealPendingRegistration((await registerCustomer(input(), { ip: uniqueIp() })).state);
    const decoyCookie = sealPendingRegistration((await registerCustomer(input({ email: owner.email }), { ip: uniqueIp() })).state);
    const real: string[] = [];
    const decoy: string[] = [];
    for (let round = 0; round <= MAX_WRONG_TRIES_PER_CODE; round++) {
      const a = await verifyPendingCode(openPendingRegistration(realCookie)!, "000000", { ip: uniqueIp() });
      const b = await verifyPendingCode(openPendingRegistration(decoyCookie)!, "000000", { ip: uniqueIp() });
      real.push(a.ok ? "accepted" : a.message);
      decoy.push(b.ok ? "accepted" : b.message);
    }
    console.info(`[probe] first cookie replayed, wrong codes:\n  new address:   ${real.join(" | ")}\n  taken address: ${decoy.join(" | ")}`);
    expect(decoy).toEqual(real);
  });
});

describe("the emailed link", () => {
  it("is not consumed by opening (peek), and verifies in any browser when submitted with its code", async () => {
    const { customer, alias } = await makeCustomerWithAlias();
    await registerCustomer(input({ email: alias }), { ip: uniqueIp() });
    const { code, token } = await lastCodeTo(alias);

    expect(await peekLink(token)).toMatchObject({ ok: true, maskedTarget: expect.stringMatching(/@home\.example$/) });
    expect(await peekLink(token)).toMatchObject({ ok: true });
    // No pending state needed: the token names the challenge.
    const result = await verifyEmailLinkAndMatch({ token, code }, { ip: uniqueIp() });
    expect(result).toMatchObject({ ok: true, match: { status: "matched", customerId: customer.id } });
    expect(await verifyEmailLinkAndMatch({ token, code }, { ip: uniqueIp() })).toMatchObject({ ok: false, reason: "used" });
  });

  it("refuses a wrong code from the fragment, and counts it", async () => {
    const { state } = await registerCustomer(input(), { ip: uniqueIp() });
    const { code, token } = await lastCodeTo(state.email);
    expect(await verifyEmailLinkAndMatch({ token, code: otherCode(code) }, { ip: uniqueIp() })).toMatchObject({ ok: false, reason: "wrong_code" });
    expect(await verifyEmailLinkAndMatch({ token: "x".repeat(43) }, { ip: uniqueIp() })).toMatchObject({ ok: false, reason: "no_challenge" });
    expect((await db.user.findUniqueOrThrow({ where: { id: state.userId } })).emailVerifiedAt).toBeNull();
  });
});

// ───────────────────────────── Sending again ─────────────────────────────

describe("resendPendingCode", () => {
  it("answers 'Send a new code' identically when the first cookie is replayed (the decoy's sends are kept on the server)", async () => {
    const owner = await existingUser();
    const now = new Date();
    const realCookie = sealPendingRegistration((await registerCustomer(input(), { ip: uniqueIp(), now })).state);
    const decoyCookie = sealPendingRegistration((await registerCustomer(input({ email: owner.email }), { ip: uniqueIp(), now })).state);
    const real: string[] = [];
    const decoy: string[] = [];
    for (let round = 1; round <= 6; round++) {
      for (const at of [later(now, round * (RESEND_COOLDOWN_SECONDS + 1)), later(now, round * (RESEND_COOLDOWN_SECONDS + 1) + 1)]) {
        const a = await resendPendingCode(openPendingRegistration(realCookie, at)!, { ip: uniqueIp(), now: at });
        const b = await resendPendingCode(openPendingRegistration(decoyCookie, at)!, { ip: uniqueIp(), now: at });
        real.push(a.ok ? "sent" : a.message);
        decoy.push(b.ok ? "sent" : b.message);
      }
    }
    console.info(`[probe] first cookie replayed, Send a new code:\n  new address:   ${real.join(" | ")}\n  taken address: ${decoy.join(" | ")}`);
    expect(decoy).toEqual(real);
  });

  it("keeps the cooldown, then sends a new code that replaces the old one; a decoy does the same", async () => {
    const owner = await existingUser();
    const now = new Date();
    const real = (await registerCustomer(input(), { ip: uniqueIp(), now })).state;
    const decoy = (await registerCustomer(input({ email: owner.email }), { ip: uniqueIp(), now })).state;
    const first = await lastCodeTo(real.email);

    const early = later(now, 10);
    const [realEarly, decoyEarly] = [
      await resendPendingCode(real, { ip: uniqueIp(), now: early }),
      await resendPendingCode(decoy, { ip: uniqueIp(), now: early }),
    ];
    expect(realEarly).toMatchObject({ ok: false, message: CODE_MESSAGES.cooldown(RESEND_COOLDOWN_SECONDS - 10) });
    expect(decoyEarly).toMatchObject({ ok: false, message: CODE_MESSAGES.cooldown(RESEND_COOLDOWN_SECONDS - 10) });

    const after = later(now, RESEND_COOLDOWN_SECONDS + 1);
    const realAgain = await resendPendingCode(real, { ip: uniqueIp(), now: after });
    const decoyAgain = await resendPendingCode(decoy, { ip: uniqueIp(), now: after });
    expect(realAgain.ok && decoyAgain.ok).toBe(true);
    if (!realAgain.ok || !decoyAgain.ok) return;
    expect(realAgain.view.resendAvailableAt).toEqual(later(after, RESEND_COOLDOWN_SECONDS));
    expect(decoyAgain.view.resendAvailableAt).toEqual(later(after, RESEND_COOLDOWN_SECONDS));

    const second = await lastCodeTo(real.email);
    expect(second.code === first.code && second.token === first.token).toBe(false);
    const stale = await verifyPendingCode(realAgain.state, first.code, { ip: uniqueIp(), now: after });
    if (first.code !== second.code) expect(stale).toMatchObject({ ok: false });
    expect(await verifyPendingCode(realAgain.state, second.code, { ip: uniqueIp(), now: later(after, 1) })).toMatchObject({ ok: true });
    // The owner of the taken address got no code from any of this.
    expect((await mailTo(owner.email)).every((mail) => mail.code === undefined)).toBe(true);
  });
});

// ───────────────────────────── "Wrong address?" ─────────────────────────────

describe("correctPendingAddress", () => {
  it("moves the account to the corrected address at once: new code there, old code and link dead", async () => {
    const mistyped = newAddress("typo");
    const { state } = await registerCustomer(input({ email: mistyped }), { ip: uniqueIp() });
    const old = await lastCodeTo(mistyped);
    const corrected = newAddress("fixed");

    const { state: next, view } = await correctPendingAddress(state, corrected.toUpperCase(), { ip: uniqueIp() });
    expect(next.userId).toBe(state.userId);
    expect(view.maskedEmail).toBe("f•••@registrant.example");
    expect((await db.user.findUniqueOrThrow({ where: { id: state.userId } })).email).toBe(corrected);
    expect(await usersWithEmail(mistyped)).toBe(0);

    const fresh = await lastCodeTo(corrected);
    expect(await verifyEmailLinkAndMatch({ token: old.token, code: old.code }, { ip: uniqueIp() })).toMatchObject({ ok: false });
    if (old.code !== fresh.code) expect(await verifyPendingCode(next, old.code, { ip: uniqueIp() })).toMatchObject({ ok: false, reason: "wrong_code" });
    expect(await verifyPendingCode(next, fresh.code, { ip: uniqueIp() })).toMatchObject({ ok: true });
    expect(await db.auditEvent.count({ where: { action: "registration.address_corrected", subjectId: state.userId } })).toBe(1);
  });

  it("answers the same when the corrected address has an account: its owner is told, the mistyped account goes", async () => {
    const owner = await existingUser();
    const { state } = await registerCustomer(input(), { ip: uniqueIp() });
    const { state: next, view } = await correctPendingAddress(state, owner.email, { ip: uniqueIp() });
    expect(view.maskedEmail).toBe("o•••@registrant.example");
    expect(next.userId).not.toBe(state.userId);
    expect(await db.user.findUnique({ where: { id: state.userId } })).toBeNull();
    expect(await db.user.findUnique({ where: { id: next.userId } })).toBeNull();
    expect((await mailTo(owner.email)).map((mail) => mail.kind)).toEqual(["registration-existing-account"]);
    expect(await usersWithEmail(owner.email)).toBe(1);

    // …and correcting again to a free address creates the account from the draft.
    const free = newAddress("free");
    const { state: created } = await correctPendingAddress(next, free, { ip: uniqueIp() });
    const user = await db.user.findUniqueOrThrow({ where: { id: created.userId } });
    expect(user).toMatchObject({ email: free, name: "Rae Registrant", phoneE164: "+61491570159" });
    expect(await verifyPassword(user.passwordHash!, "saffron-lantern-93")).toBe(true);
    const { code } = await lastCodeTo(free);
    expect(await verifyPendingCode(created, code, { ip: uniqueIp() })).toMatchObject({ ok: true });
  });

  it("refuses the same address, a disposable one, and endless corrections", async () => {
    const { state } = await registerCustomer(input(), { ip: uniqueIp() });
    await expect(correctPendingAddress(state, state.email.toUpperCase(), { ip: uniqueIp() })).rejects.toMatchObject({ field: "email" });
    await expect(correctPendingAddress(state, "x@mailinator.com", { ip: uniqueIp() })).rejects.toMatchObject({ field: "email" });
    await expect(correctPendingAddress({ ...state, corrections: MAX_ADDRESS_CORRECTIONS }, newAddress(), { ip: uniqueIp() })).rejects.toMatchObject({
      code: "rate_limited",
    });
  });
});

// ───────────────────────────── Pending state and signed-in start ─────────────────────────────

describe("the pending state", () => {
  it("survives sealing, and anything altered or too old is no state at all", async () => {
    const { state } = await registerCustomer(input(), { ip: uniqueIp() });
    const sealed = sealPendingRegistration(state);
    expect(openPendingRegistration(sealed)).toEqual(state);
    expect(sealed).not.toContain(state.email);
    expect(openPendingRegistration(`${sealed.slice(0, -2)}AA`)).toBeNull();
    expect(openPendingRegistration("garbage")).toBeNull();
    expect(openPendingRegistration(sealed, later(new Date(state.issuedAt), 25 * 3600))).toBeNull();
  });

  it("lets a signed-in unverified customer ask for a code", async () => {
    const { state } = await registerCustomer(input(), { ip: uniqueIp() });
    const now = later(new Date(), RESEND_COOLDOWN_SECONDS + 1);
    const started = await startVerificationForAccount(state.userId, { ip: uniqueIp(), now });
    expect(started?.refusal).toBeUndefined();
    const { code } = await lastCodeTo(state.email);
    expect(await verifyPendingCode(started!.state, code, { ip: uniqueIp(), now: later(now, 1) })).toMatchObject({ ok: true });
    expect(await startVerificationForAccount(state.userId, { ip: uniqueIp() })).toBeNull();
  });
});
