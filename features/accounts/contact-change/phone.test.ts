import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { approveByText } from "@/features/accounts/text-confirmation/text-confirmation-testing";
import { confirmPhone, parseMobileNumber, resendPhoneCode, startPhoneVerification } from "@/features/accounts/contact-change/phone";
import {
  TEST_PASSWORD,
  codeIn,
  lastMessageTo,
  linkIn,
  makeAccount,
  messagesTo,
  uniqueAuMobile,
  uniqueIp,
} from "@/features/accounts/two-factor/two-factor-testing";

const otherCode = (code: string) => ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");

describe("parsing a mobile number", () => {
  it("accepts mobile numbers in national or international form and gives E.164", () => {
    expect(parseMobileNumber("0491 570 157", "AU")).toEqual({ ok: true, e164: "+61491570157", type: "MOBILE", country: "AU" });
    expect(parseMobileNumber("+61 491 570 157", "GB")).toMatchObject({ ok: true, e164: "+61491570157" });
    expect(parseMobileNumber("07400 123456", "GB")).toMatchObject({ ok: true, e164: "+447400123456", type: "MOBILE" });
    // North American numbers do not say whether they are mobile: they are accepted.
    expect(parseMobileNumber("(202) 555-0123", "US")).toMatchObject({ ok: true, e164: "+12025550123", type: "FIXED_LINE_OR_MOBILE" });
  });

  it("refuses landlines and other numbers that cannot receive SMS, saying why", () => {
    expect(parseMobileNumber("02 5550 1234", "AU")).toEqual({ ok: false, reason: "not_mobile", message: expect.stringContaining("landline") });
    expect(parseMobileNumber("+33 1 40 00 00 00", "FR")).toMatchObject({ ok: false, reason: "not_mobile" });
    expect(parseMobileNumber("1800 123 456", "AU")).toMatchObject({ ok: false, reason: "not_mobile", message: expect.stringContaining("toll-free") });
  });

  it("refuses numbers that are not valid", () => {
    expect(parseMobileNumber("12345", "AU")).toMatchObject({ ok: false, reason: "invalid" });
    expect(parseMobileNumber("+44 7700 900123", "GB")).toMatchObject({ ok: false, reason: "invalid" });
  });
});

describe("verifying a mobile number by SMS", () => {
  it("stores the first number in E.164, texts it a code, and marks it verified on the account and the customer record", async () => {
    const customer = await db.customer.create({ data: { accountNumber: `ACC-${randomUUID()}`, name: "Phone Customer" } });
    const user = await makeAccount({ customerId: customer.id });
    const phone = uniqueAuMobile();
    const national = `0${phone.slice(3)}`;

    const sent = await startPhoneVerification({ userId: user.id, country: "AU", number: national, ip: uniqueIp() });
    expect(sent).toMatchObject({ ok: true, change: false, maskedTarget: `+61 •••• •••${phone.slice(-3)}` });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ phoneE164: phone, phoneVerifiedAt: null });

    const sms = await lastMessageTo(phone);
    expect(sms.channel).toBe("sms");
    expect(await confirmPhone({ userId: user.id, role: "customer", code: otherCode(codeIn(sms)), ip: uniqueIp() })).toMatchObject({ ok: false, field: "code" });
    expect(await confirmPhone({ userId: user.id, role: "customer", code: codeIn(sms), ip: uniqueIp() })).toEqual({
      ok: true,
      e164: phone,
      changed: false,
      pending: false,
    });

    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.phoneVerifiedAt).not.toBeNull();
    expect(await db.customerPhone.findUniqueOrThrow({ where: { customerId_e164: { customerId: customer.id, e164: phone } } })).toMatchObject({
      kind: "mobile",
      verifiedAt: expect.any(Date),
    });
    expect(await db.auditEvent.findFirst({ where: { action: "identity.phone_verified", subjectId: user.id } })).not.toBeNull();
  });

  it("refuses a landline before sending anything", async () => {
    const user = await makeAccount();
    expect(await startPhoneVerification({ userId: user.id, country: "AU", number: "02 5550 1234", ip: uniqueIp() })).toMatchObject({
      ok: false,
      field: "number",
      message: expect.stringContaining("landline"),
    });
    expect(await messagesTo("+61255501234")).toHaveLength(0);
  });

  it("resends only after the cooldown, to the same number", async () => {
    const user = await makeAccount();
    const phone = uniqueAuMobile();
    expect(await startPhoneVerification({ userId: user.id, country: "AU", number: phone, ip: uniqueIp() })).toMatchObject({ ok: true });
    expect(await resendPhoneCode({ userId: user.id, ip: uniqueIp() })).toMatchObject({ ok: false, message: expect.stringContaining("wait") });
    await db.verificationChallenge.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 2 * 60_000) } });
    expect(await resendPhoneCode({ userId: user.id, ip: uniqueIp() })).toMatchObject({ ok: true });
    expect((await messagesTo(phone)).filter((message) => message.channel === "sms")).toHaveLength(2);
  });

  it("replaces a verified number only with the password, keeps the old one until the new one is verified, and notifies", async () => {
    const oldPhone = uniqueAuMobile();
    const user = await makeAccount({ phoneE164: oldPhone, phoneVerified: true });
    const newPhone = uniqueAuMobile();
    expect(await startPhoneVerification({ userId: user.id, country: "AU", number: newPhone, ip: uniqueIp() })).toMatchObject({ ok: false, field: "password" });
    expect(await startPhoneVerification({ userId: user.id, country: "AU", number: newPhone, password: "wrong", ip: uniqueIp() })).toMatchObject({
      ok: false,
      field: "password",
    });
    expect(await startPhoneVerification({ userId: user.id, country: "AU", number: newPhone, password: TEST_PASSWORD, ip: uniqueIp() })).toMatchObject({
      ok: true,
      change: true,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).phoneE164).toBe(oldPhone);

    // The old, verified number is asked by text before anything changes (features/accounts/text-confirmation/).
    expect(await confirmPhone({ userId: user.id, role: "customer", code: codeIn(await lastMessageTo(newPhone)), ip: uniqueIp() })).toMatchObject({
      ok: true,
      e164: newPhone,
      changed: true,
      pending: true,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).phoneE164).toBe(oldPhone);
    expect((await approveByText(oldPhone)).answer).toMatchObject({ outcome: "approved" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).phoneE164).toBe(newPhone);
    const notice = await lastMessageTo(user.email, "phone-changed-notice");
    expect(notice.sensitive).toBe(true);
    expect(linkIn(notice, "/security/dispute")).toContain("token=");
    const sms = await lastMessageTo(oldPhone, "phone-changed-notice");
    expect(sms.text).toContain("/security/dispute?token=");
  });
});
