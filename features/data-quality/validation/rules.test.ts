import { describe, expect, it } from "vitest";
import { isRoleLocalPart, validateEmail, validatePhone } from "./rules";

const email = (
  address: string,
  deliverability: "unknown" | "delivering" | "bouncing" | "complained" = "unknown",
  dns: Parameters<typeof validateEmail>[1] = "mail",
) => validateEmail({ address, deliverability }, dns);
const phone = (number: string, kind: "mobile" | "fixed" | "other" = "other", deliverability: "unknown" | "bouncing" = "unknown") =>
  validatePhone({ number, kind, deliverability });

describe("validateEmail", () => {
  it("calls a tidy, resolvable, personal address valid with no reasons", () => {
    expect(email("jane.doe@northwind.example")).toEqual({ validity: "valid", reasons: [], suggestion: null });
  });

  it("email_syntax: an address mail cannot go to, and nothing else is said about it", () => {
    for (const bad of [
      "jane",
      "jane@",
      "@example.com",
      "jane@@example.com",
      "jane doe@example.com",
      "jane@intranet",
      "jane..doe@example.com",
      "jane@127.0.0.1",
    ]) {
      expect(email(bad, "unknown", "not_found")).toEqual({ validity: "invalid", reasons: ["email_syntax"], suggestion: null });
    }
    expect(email("jane+tag@example.com").reasons).not.toContain("email_syntax");
  });

  it("email_needs_tidying: surrounding spaces or an upper-case domain (still valid)", () => {
    expect(email(" jane@example.com ")).toMatchObject({ validity: "valid", reasons: ["email_needs_tidying"] });
    expect(email("jane@Example.COM").reasons).toEqual(["email_needs_tidying"]);
    // A capitalised local part is how people write their names: fine.
    expect(email("Jane@example.com").reasons).toEqual([]);
  });

  it("maps the domain's DNS outcome, and gives no DNS reason when DNS was not asked", () => {
    expect(email("a@gone.example", "unknown", "not_found")).toMatchObject({ validity: "invalid", reasons: ["email_domain_not_found"] });
    expect(email("a@nomail.example", "unknown", "no_mail_host")).toMatchObject({ validity: "invalid", reasons: ["email_no_mail_host"] });
    expect(email("a@slow.example", "unknown", "unanswered")).toMatchObject({ validity: "doubtful", reasons: ["email_dns_unanswered"] });
    expect(email("a@gone.example", "unknown", null)).toMatchObject({ validity: "valid", reasons: [] });
    expect(email("a@fine.example", "unknown", "mail").reasons).toEqual([]);
  });

  it("email_disposable", () => {
    expect(email("jane@mailinator.com")).toMatchObject({ validity: "doubtful", reasons: ["email_disposable"] });
    expect(email("jane@example.com").reasons).not.toContain("email_disposable");
  });

  it("email_role_address: info@, sales@, no-reply@, with or without a tag", () => {
    expect(email("info@northwind.example")).toMatchObject({ validity: "doubtful", reasons: ["email_role_address"] });
    expect(email("Sales+emea@northwind.example").reasons).toEqual(["email_role_address"]);
    expect(email("no-reply@northwind.example").reasons).toEqual(["email_role_address"]);
    expect(isRoleLocalPart("information.desk")).toBe(false);
    expect(email("infoman@northwind.example").reasons).toEqual([]);
  });

  it("email_likely_typo: a slip of a common provider, with the suggestion (never applied)", () => {
    expect(email("jane@gmail.con")).toEqual({ validity: "doubtful", reasons: ["email_likely_typo"], suggestion: "jane@gmail.com" });
    expect(email("jane@gmail.com")).toMatchObject({ reasons: [], suggestion: null });
  });

  it("email_bouncing and email_complained from delivery history", () => {
    expect(email("jane@example.com", "bouncing")).toMatchObject({ validity: "invalid", reasons: ["email_bouncing"] });
    expect(email("jane@example.com", "complained")).toMatchObject({ validity: "doubtful", reasons: ["email_complained"] });
    expect(email("jane@example.com", "delivering").reasons).toEqual([]);
    // A bouncing address with broken syntax still says it bounces.
    expect(email("jane@", "bouncing").reasons).toEqual(["email_syntax", "email_bouncing"]);
  });

  it("the verdict is the worst reason's", () => {
    expect(email("info@gmail.con", "bouncing")).toMatchObject({ validity: "invalid", reasons: ["email_role_address", "email_likely_typo", "email_bouncing"] });
  });
});

describe("validatePhone", () => {
  it("a valid mobile in E.164 in the mobile slot: valid, with its line type", () => {
    expect(phone("+447400123456", "mobile")).toEqual({ validity: "valid", reasons: [], lineType: "MOBILE", e164: "+447400123456" });
  });

  it("phone_unparseable: not a phone number at all", () => {
    for (const bad of ["call me", "12", "+44 abc 123", "jane@example.com"])
      expect(phone(bad)).toMatchObject({ validity: "invalid", reasons: ["phone_unparseable"], e164: null });
    expect(phone("+442071838750").reasons).not.toContain("phone_unparseable");
  });

  it("phone_invalid: not a valid number for its country", () => {
    expect(phone("+4420718387")).toMatchObject({ validity: "invalid", reasons: ["phone_invalid"] });
    expect(phone("+15555550123")).toMatchObject({ validity: "invalid", reasons: ["phone_invalid"] });
    expect(phone("+442071838750").reasons).not.toContain("phone_invalid");
  });

  it("phone_not_e164: spaced international form (normalisable, with the E.164 form), or a national number with no country", () => {
    expect(phone("+44 20 7183 8750")).toEqual({ validity: "doubtful", reasons: ["phone_not_e164"], lineType: "FIXED_LINE", e164: "+442071838750" });
    expect(phone("020 7183 8750")).toMatchObject({ validity: "doubtful", reasons: ["phone_not_e164"], e164: null });
    expect(phone("+442071838750").reasons).toEqual([]);
  });

  it("phone_landline_as_mobile: a fixed line stored as the mobile", () => {
    expect(phone("+442071838750", "mobile")).toMatchObject({ validity: "doubtful", reasons: ["phone_landline_as_mobile"], lineType: "FIXED_LINE" });
    expect(phone("+442071838750", "fixed").reasons).toEqual([]);
    // Where the metadata cannot tell (US numbers are "fixed line or mobile"), nothing is said.
    expect(phone("+12015550123", "mobile").reasons).toEqual([]);
  });

  it("phone_voip", () => {
    expect(phone("+445601234567")).toMatchObject({ validity: "doubtful", reasons: ["phone_voip"], lineType: "VOIP" });
    expect(phone("+447400123456").reasons).not.toContain("phone_voip");
  });

  it("phone_bouncing from SMS delivery history", () => {
    expect(phone("+447400123456", "mobile", "bouncing")).toMatchObject({ validity: "invalid", reasons: ["phone_bouncing"] });
    expect(phone("+447400123456", "mobile", "unknown").reasons).toEqual([]);
  });
});
