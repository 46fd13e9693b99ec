import { describe, expect, it } from "vitest";
import { DISPOSABLE_EMAIL_MESSAGE, isDisposableDomain, isDisposableEmail } from "@/platform/email-address/disposable-domains";

describe("disposable email domains", () => {
  it.each(["mailinator.com", "guerrillamail.com", "10minutemail.com", "yopmail.com", "sharklasers.com", "tempmail.com"])("refuses %s", (domain) => {
    expect(isDisposableDomain(domain)).toBe(true);
    expect(isDisposableEmail(`someone@${domain}`)).toBe(true);
  });

  it("matches case-insensitively and ignores a trailing dot", () => {
    expect(isDisposableEmail("Someone@MAILINATOR.com")).toBe(true);
    expect(isDisposableDomain("mailinator.com.")).toBe(true);
  });

  it("refuses subdomains of a disposable domain", () => {
    expect(isDisposableEmail("someone@x7.mailinator.com")).toBe(true);
  });

  it.each(["gmail.com", "outlook.com", "proton.me", "northwind.example", "mail.example", "lumen-dental.example", "com"])("accepts %s", (domain) => {
    expect(isDisposableDomain(domain)).toBe(false);
  });

  it("accepts strings that are not addresses (the schema refuses those)", () => {
    expect(isDisposableEmail("mailinator.com")).toBe(false);
    expect(isDisposableEmail("")).toBe(false);
  });

  it("explains the refusal in plain words", () => {
    expect(DISPOSABLE_EMAIL_MESSAGE).toMatch(/disposable/);
  });
});
