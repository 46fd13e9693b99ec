import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, type Role } from "@/platform/db/client";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { isSealed, openSealedText } from "@/platform/outbox/sealed";
import {
  addEmail,
  addPhone,
  confirmContact,
  correctEmail,
  correctPhone,
  makePrimaryEmail,
  peekContactLink,
  removeEmail,
  removePhone,
  sendContactVerification,
  updateProfile,
} from "@/features/customers/contacts/contacts";
import {
  addEmailSchema,
  addPhoneSchema,
  confirmContactSchema,
  correctEmailSchema,
  correctPhoneSchema,
  updateProfileSchema,
} from "@/features/customers/contacts/schemas";
import { matchVerifiedAccount } from "@/features/customers/matching";
import { peekLink } from "@/features/verification/challenges";

const unique = () => randomUUID().slice(0, 8);
const IP = "203.0.113.40";

async function makeCustomer(label = "Contact") {
  const id = unique();
  return db.customer.create({ data: { accountNumber: `CT-${id}`, name: `${label} Customer ${id}` } });
}
async function makeStaff(role: Role = "agent") {
  const user = await db.user.create({ data: { email: `${randomUUID()}@contacts.test`, name: `Staff ${role}`, role } });
  return { userId: user.id, role };
}
const mail = (label: string) => `${label}.${unique()}@contacts-${unique()}.example`;
/** A valid Australian mobile, different on every call. */
const mobile = () => `04${randomInt(10, 40)} ${randomInt(100, 1000)} ${randomInt(100, 1000)}`;

const emails = (customerId: string) => db.customerEmail.findMany({ where: { customerId }, orderBy: { createdAt: "asc" } });
const events = (customerId: string) => db.auditEvent.findMany({ where: { subjectType: "customer", subjectId: customerId }, orderBy: { id: "asc" } });

async function add(customerId: string, address: string) {
  const agent = await makeStaff();
  return addEmail(addEmailSchema.parse({ customerId, address }), agent, IP);
}
async function addNumber(customerId: string, number: string, country = "AU", kind = "mobile") {
  const agent = await makeStaff();
  return addPhone(addPhoneSchema.parse({ customerId, number, country, kind }), agent, IP);
}

/** The message the engine queued to `to`, opened (bodies of code messages are sealed). */
async function lastMessageTo(to: string) {
  const row = await db.outboxMessage.findFirstOrThrow({ where: { recipient: to }, orderBy: { createdAt: "desc" } });
  const text = row.textBody && isSealed(row.textBody) ? openSealedText(row.textBody) : (row.textBody ?? "");
  return { row, text };
}

describe("contact schemas", () => {
  it("reads a national-format number in the chosen country and keeps E.164", () => {
    expect(addPhoneSchema.parse({ customerId: randomUUID(), country: "GB", number: "020 7183 8750", kind: "fixed" }).e164).toBe("+442071838750");
    expect(addPhoneSchema.parse({ customerId: randomUUID(), country: "US", number: "(201) 555-0123", kind: "mobile" }).e164).toBe("+12015550123");
    // International form wins over the country.
    expect(addPhoneSchema.parse({ customerId: randomUUID(), country: "US", number: "+61 491 570 157", kind: "mobile" }).e164).toBe("+61491570157");
    const bad = addPhoneSchema.safeParse({ customerId: randomUUID(), country: "GB", number: "12", kind: "mobile" });
    expect(bad.error?.issues[0]).toMatchObject({ path: ["number"], message: expect.stringContaining("not a valid number") });
    expect(addPhoneSchema.safeParse({ customerId: randomUUID(), country: "XX", number: "0491570157", kind: "mobile" }).success).toBe(false);
  });

  it("refuses hostile text with a validation error", () => {
    expect(updateProfileSchema.safeParse({ customerId: randomUUID(), name: "A\u0000B", accountNumber: "X-1" }).success).toBe(false);
    expect(updateProfileSchema.safeParse({ customerId: randomUUID(), name: "Ann", accountNumber: "X 1" }).success).toBe(false);
    expect(addEmailSchema.safeParse({ customerId: randomUUID(), address: "x".repeat(10_000) }).success).toBe(false);
    expect(confirmContactSchema.safeParse({ token: "t", code: "12" }).success).toBe(false);
  });
});

describe("email addresses", () => {
  it("adds the first address as primary, then aliases; audited with ids and field names only", async () => {
    const customer = await makeCustomer();
    const primary = mail("Primary");
    const alias = mail("Alias");
    expect(await add(customer.id, primary)).toMatchObject({ ok: true, message: expect.stringContaining("primary") });
    expect(await add(customer.id, alias)).toMatchObject({ ok: true, message: expect.stringContaining("alias") });
    const rows = await emails(customer.id);
    expect(rows.map((row) => [row.normalized, row.isPrimary, row.verifiedAt])).toEqual([
      [normalizeEmail(primary), true, null],
      [normalizeEmail(alias), false, null],
    ]);
    const audit = await events(customer.id);
    expect(audit.map((event) => event.action)).toEqual(["customer.email_added", "customer.email_added"]);
    expect(audit[1]?.details).toEqual({ customerEmailId: rows[1]!.id, isPrimary: false });
    // No address, nor any part of it, in the audit log.
    expect(JSON.stringify(audit.map((event) => event.details))).not.toContain(primary.split("@")[1]!);
    expect(JSON.stringify(audit.map((event) => event.details))).not.toContain(alias.split("@")[1]!);
  });

  it("refuses an address another customer holds, naming the holder, and moves nothing", async () => {
    const holder = await makeCustomer("Holder");
    const other = await makeCustomer("Other");
    const address = mail("Taken");
    await add(holder.id, address);
    const refused = await add(other.id, `  ${address.toUpperCase()} `);
    expect(refused).toEqual({
      ok: false,
      field: "address",
      message: expect.stringContaining(`already belongs to ${holder.name} (account ${holder.accountNumber})`),
      holder: { id: holder.id, name: holder.name, accountNumber: holder.accountNumber },
    });
    expect(await emails(other.id)).toEqual([]);
    expect((await emails(holder.id)).map((row) => row.normalized)).toEqual([normalizeEmail(address)]);
    // The customer's own address again: its own sentence, no holder.
    expect(await add(holder.id, address)).toEqual({ ok: false, field: "address", message: "This customer already has that address." });
  });

  it("corrects an unverified address in place, but never a verified one", async () => {
    const customer = await makeCustomer();
    await add(customer.id, mail("first"));
    await add(customer.id, mail("typo"));
    const [verified, unverified] = await emails(customer.id);
    await db.customerEmail.update({ where: { id: verified!.id }, data: { verifiedAt: new Date() } });
    await db.customerEmail.update({ where: { id: unverified!.id }, data: { deliverability: "bouncing", bounceCount: 3 } });
    const agent = await makeStaff();

    const fixed = mail("fixed");
    expect(await correctEmail(correctEmailSchema.parse({ emailId: unverified!.id, address: fixed }), agent, IP)).toMatchObject({ ok: true });
    const after = await db.customerEmail.findUniqueOrThrow({ where: { id: unverified!.id } });
    expect(after).toMatchObject({ normalized: normalizeEmail(fixed), verifiedAt: null, deliverability: "unknown", bounceCount: 0 });

    const refused = await correctEmail(correctEmailSchema.parse({ emailId: verified!.id, address: mail("else") }), agent, IP);
    expect(refused).toMatchObject({ ok: false, field: "address", message: expect.stringContaining("A verified address cannot be changed") });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: verified!.id } })).normalized).toBe(verified!.normalized);
    expect((await events(customer.id)).at(-1)?.details).toEqual({ customerEmailId: unverified!.id, fields: ["address"] });
  });

  it("makes an alias the primary: exactly one primary; the primary and the only address cannot be removed", async () => {
    const customer = await makeCustomer();
    await add(customer.id, mail("one"));
    const [only] = await emails(customer.id);
    const agent = await makeStaff();
    expect(await removeEmail({ emailId: only!.id }, agent, IP)).toMatchObject({
      ok: false,
      message: expect.stringContaining("The only address cannot be removed"),
    });

    await add(customer.id, mail("two"));
    const [first, second] = await emails(customer.id);
    expect(await removeEmail({ emailId: first!.id }, agent, IP)).toMatchObject({
      ok: false,
      message: "The primary address cannot be removed: make another address the primary first.",
    });
    // Two agents make the alias primary at once: still exactly one primary.
    await Promise.all([makePrimaryEmail({ emailId: second!.id }, agent, IP), makePrimaryEmail({ emailId: second!.id }, agent, IP)]);
    const after = await emails(customer.id);
    expect(after.filter((row) => row.isPrimary).map((row) => row.id)).toEqual([second!.id]);
    expect(await removeEmail({ emailId: first!.id }, agent, IP)).toMatchObject({ ok: true });
    expect((await emails(customer.id)).map((row) => [row.id, row.isPrimary])).toEqual([[second!.id, true]]);
    const audit = (await events(customer.id)).filter((event) => event.action === "customer.primary_email_changed");
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toEqual({ customerEmailId: second!.id, previousPrimaryEmailIds: [first!.id] });
  });

  it("a portal registrant using an alias added here is matched automatically once the customer proved it, and waits for an agent before", async () => {
    const customer = await makeCustomer();
    await add(customer.id, mail("primary"));
    const alias = mail("Later.Alias");
    await add(customer.id, alias);
    // Typed in by an agent on someone's word: not evidence yet, so no automatic link.
    const early = await db.user.create({ data: { email: normalizeEmail(alias), name: "Registrant", role: "customer", passwordHash: "x" } });
    expect(await db.$transaction((tx) => matchVerifiedAccount(tx, { userId: early.id, email: alias, verifiedAt: new Date(), ip: IP }))).toEqual({
      status: "awaiting_match",
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: early.id } })).toMatchObject({ customerId: null, matchStatus: "awaiting_match" });
    await db.user.delete({ where: { id: early.id } });

    // Proved through the verification request: a registrant at it is linked.
    await db.customerEmail.update({ where: { normalized: normalizeEmail(alias) }, data: { verifiedAt: new Date() } });
    const user = await db.user.create({ data: { email: normalizeEmail(alias), name: "Registrant", role: "customer", passwordHash: "x" } });
    const outcome = await db.$transaction((tx) => matchVerifiedAccount(tx, { userId: user.id, email: alias, verifiedAt: new Date(), ip: IP }));
    expect(outcome).toMatchObject({ status: "matched", customerId: customer.id, via: "alias" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ customerId: customer.id, matchStatus: "matched" });
  });
});

describe("phone numbers", () => {
  it("stores a national-format number as E.164 and refuses it on a second customer, naming the holder", async () => {
    const holder = await makeCustomer("Phone holder");
    const other = await makeCustomer("Phone other");
    const number = mobile();
    expect(await addNumber(holder.id, number)).toMatchObject({ ok: true });
    const [stored] = await db.customerPhone.findMany({ where: { customerId: holder.id } });
    expect(stored?.e164).toBe(`+61${number.replace(/\s/g, "").slice(1)}`);

    const refused = await addNumber(other.id, stored!.e164, "US");
    expect(refused).toEqual({
      ok: false,
      field: "number",
      message: expect.stringContaining(`already belongs to ${holder.name}`),
      holder: { id: holder.id, name: holder.name, accountNumber: holder.accountNumber },
    });
    expect(await db.customerPhone.count({ where: { customerId: other.id } })).toBe(0);
    expect(await addNumber(holder.id, number)).toEqual({ ok: false, field: "number", message: "This customer already has that number." });
    const audit = await events(holder.id);
    expect(audit.map((event) => event.details)).toEqual([{ customerPhoneId: stored!.id, kind: "mobile" }]);
    expect(JSON.stringify(audit.map((event) => event.details))).not.toContain(stored!.e164.slice(3));
  });

  it("two agents adding one number to two customers at once: exactly one wins", async () => {
    for (let round = 0; round < 3; round += 1) {
      const [a, b] = [await makeCustomer("Race A"), await makeCustomer("Race B")];
      const number = mobile();
      const outcomes = await Promise.all([addNumber(a.id, number), addNumber(b.id, number)]);
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
      const loser = outcomes.find((outcome) => !outcome.ok);
      expect(loser).toMatchObject({ ok: false, holder: { id: expect.any(String) } });
      const e164 = addPhoneSchema.parse({ customerId: a.id, number, country: "AU", kind: "mobile" }).e164;
      expect(await db.customerPhone.count({ where: { e164, customerId: { in: [a.id, b.id] } } })).toBe(1);
    }
  });

  it("corrects an unverified number in place; a verified number keeps its digits but may change kind", async () => {
    const customer = await makeCustomer();
    await addNumber(customer.id, mobile());
    const [phone] = await db.customerPhone.findMany({ where: { customerId: customer.id } });
    const agent = await makeStaff();
    const next = mobile();
    expect(await correctPhone(correctPhoneSchema.parse({ phoneId: phone!.id, number: next, country: "AU", kind: "mobile" }), agent, IP)).toMatchObject({
      ok: true,
    });
    const corrected = await db.customerPhone.findUniqueOrThrow({ where: { id: phone!.id } });
    expect(corrected.e164).toBe(`+61${next.replace(/\s/g, "").slice(1)}`);

    await db.customerPhone.update({ where: { id: phone!.id }, data: { verifiedAt: new Date() } });
    const refused = await correctPhone(correctPhoneSchema.parse({ phoneId: phone!.id, number: mobile(), country: "AU", kind: "mobile" }), agent, IP);
    expect(refused).toMatchObject({ ok: false, field: "number", message: expect.stringContaining("A verified number cannot be changed") });
    expect(await correctPhone(correctPhoneSchema.parse({ phoneId: phone!.id, number: corrected.e164, country: "AU", kind: "other" }), agent, IP)).toMatchObject(
      { ok: true },
    );
    expect(await db.customerPhone.findUniqueOrThrow({ where: { id: phone!.id } })).toMatchObject({ e164: corrected.e164, kind: "other" });
    expect((await events(customer.id)).at(-1)?.details).toEqual({ customerPhoneId: phone!.id, fields: ["kind"] });
    expect(await removePhone({ phoneId: phone!.id }, agent, IP)).toMatchObject({ ok: true });
    expect(await db.customerPhone.count({ where: { customerId: customer.id } })).toBe(0);
  });
});

describe("account number", () => {
  it("is unique: a clear error naming the holder; a change is audited by field name", async () => {
    const holder = await makeCustomer("Number holder");
    const customer = await makeCustomer();
    const agent = await makeStaff();
    const refused = await updateProfile(
      updateProfileSchema.parse({ customerId: customer.id, name: customer.name, accountNumber: holder.accountNumber }),
      agent,
      IP,
    );
    expect(refused).toEqual({
      ok: false,
      field: "accountNumber",
      message: expect.stringContaining(`That account number already belongs to ${holder.name}`),
      holder: { id: holder.id, name: holder.name, accountNumber: holder.accountNumber },
    });
    const renamed = await updateProfile(
      updateProfileSchema.parse({ customerId: customer.id, name: "  Renamed   Person ", accountNumber: `NEW-${unique()}` }),
      agent,
      IP,
    );
    expect(renamed).toMatchObject({ ok: true });
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe("Renamed Person");
    const audit = await events(customer.id);
    expect(audit.map((event) => [event.action, event.details])).toEqual([["customer.profile_changed", { fields: ["name", "accountNumber"] }]]);
    expect(JSON.stringify(audit.map((event) => event.details))).not.toContain("Renamed");
  });
});

describe("verification requests", () => {
  it("emails a link and a code; the customer's link verifies the address; ids only in the audit", async () => {
    const customer = await makeCustomer();
    // The request is for the alias: the primary must stay as it is (the link is bound to its target).
    await add(customer.id, mail("primary"));
    await add(customer.id, mail("verify"));
    const [primary, email] = await emails(customer.id);
    const agent = await makeStaff();
    const sent = await sendContactVerification({ kind: "email", id: email!.id }, agent, IP);
    expect(sent.message).toContain("Verification request sent to");

    const { row, text } = await lastMessageTo(email!.normalized);
    expect(row.kind).toBe("security-code.contact_verification");
    const link = /(https?:\/\/\S+\/verify\/contact\?token=([A-Za-z0-9_-]+)#code=(\d{6}))/.exec(text);
    expect(link).not.toBeNull();
    const [, , token, code] = link!;
    const challenge = await db.verificationChallenge.findFirstOrThrow({ where: { customerId: customer.id }, orderBy: { createdAt: "desc" } });
    expect(challenge).toMatchObject({ purpose: "contact_verification", channel: "email", target: email!.normalized, userId: null });
    // Link for 24 hours, code for 10 minutes.
    expect(challenge.linkExpiresAt!.getTime() - challenge.createdAt.getTime()).toBe(24 * 3600 * 1000);
    expect(challenge.expiresAt.getTime() - challenge.createdAt.getTime()).toBe(600 * 1000);

    // A second request at once meets the engine's cooldown.
    await expect(sendContactVerification({ kind: "email", id: email!.id }, agent, IP)).rejects.toMatchObject({ code: "rate_limited" });

    expect(await peekContactLink(token!)).toMatchObject({ ok: true, purpose: "contact_verification" });
    expect(await confirmContact({ token: token!, code: code! }, "198.51.100.7")).toEqual({ ok: true, channel: "email" });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: email!.id } })).verifiedAt).not.toBeNull();
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: primary!.id } })).verifiedAt).toBeNull();
    // Used once.
    expect(await confirmContact({ token: token!, code: code! }, "198.51.100.7")).toMatchObject({ ok: false });

    const audit = await events(customer.id);
    expect(audit.map((event) => event.action)).toEqual([
      "customer.email_added",
      "customer.email_added",
      "customer.contact_verification_sent",
      "customer.contact_verified",
    ]);
    expect(audit[3]?.details).toEqual({ customerEmailId: email!.id, challengeId: challenge.id });
    const engine = await db.auditEvent.findMany({ where: { subjectId: customer.id } });
    expect(JSON.stringify(engine.map((event) => event.details))).not.toContain(email!.normalized.split("@")[1]!);
  });

  it("a wrong code in the link counts as a try and verifies nothing; a link for another purpose is no link here", async () => {
    const customer = await makeCustomer();
    await add(customer.id, mail("wrong"));
    const [email] = await emails(customer.id);
    await sendContactVerification({ kind: "email", id: email!.id }, await makeStaff(), IP);
    const { text } = await lastMessageTo(email!.normalized);
    const [, token, code] = /token=([A-Za-z0-9_-]+)#code=(\d{6})/.exec(text)!;
    const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");
    expect(await confirmContact({ token: token!, code: wrong }, IP)).toMatchObject({ ok: false, message: expect.stringContaining("not right") });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: email!.id } })).verifiedAt).toBeNull();
    expect(await peekLink(token!)).toMatchObject({ ok: false, reason: "no_challenge" });
  });

  it("an address corrected after the request is not verified by the old link", async () => {
    const customer = await makeCustomer();
    await add(customer.id, mail("before"));
    const [email] = await emails(customer.id);
    const agent = await makeStaff();
    await sendContactVerification({ kind: "email", id: email!.id }, agent, IP);
    const { text } = await lastMessageTo(email!.normalized);
    const [, token, code] = /token=([A-Za-z0-9_-]+)#code=(\d{6})/.exec(text)!;
    await correctEmail(correctEmailSchema.parse({ emailId: email!.id, address: mail("after") }), agent, IP);
    expect(await confirmContact({ token: token!, code: code! }, IP)).toMatchObject({ ok: false });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: email!.id } })).verifiedAt).toBeNull();
  });

  it("texts a mobile a code and a short link; the link alone verifies the number; landlines and verified numbers are refused", async () => {
    const customer = await makeCustomer();
    await addNumber(customer.id, mobile());
    await addNumber(customer.id, "02 9374 4000", "AU", "fixed");
    const [phone, landline] = await db.customerPhone.findMany({ where: { customerId: customer.id }, orderBy: { createdAt: "asc" } });
    const agent = await makeStaff();
    await expect(sendContactVerification({ kind: "phone", id: landline!.id }, agent, IP)).rejects.toMatchObject({ code: "invalid" });

    await sendContactVerification({ kind: "phone", id: phone!.id }, agent, IP);
    const { text } = await lastMessageTo(phone!.e164);
    expect(text.length).toBeLessThanOrEqual(160);
    expect(text).toMatch(/code is \d{6}\./);
    const [, token] = /\/verify\/contact\?token=([A-Za-z0-9_-]{43})$/.exec(text)!;
    const challenge = await db.verificationChallenge.findFirstOrThrow({ where: { customerId: customer.id }, orderBy: { createdAt: "desc" } });
    expect(challenge.linkExpiresAt!.getTime() - challenge.createdAt.getTime()).toBe(600 * 1000);
    expect(await confirmContact({ token: token! }, IP)).toEqual({ ok: true, channel: "sms" });
    expect((await db.customerPhone.findUniqueOrThrow({ where: { id: phone!.id } })).verifiedAt).not.toBeNull();
    await expect(sendContactVerification({ kind: "phone", id: phone!.id }, agent, IP)).rejects.toMatchObject({ code: "conflict" });
  });
});
