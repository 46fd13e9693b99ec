import { describe, expect, it } from "vitest";
import { editDistance, isWellKnownProviderDomain, suggestDomain, suggestEmail } from "@/platform/email-address/typo-suggestions";

describe("suggestEmail", () => {
  it.each([
    ["jane@gmial.com", "jane@gmail.com"],
    ["jane@hotmial.com", "jane@hotmail.com"],
    ["jane@yaho.com", "jane@yahoo.com"],
    ["jane@outlok.com", "jane@outlook.com"],
    ["jane@gmail.con", "jane@gmail.com"],
    ["jane@gmail.co", "jane@gmail.com"],
    ["jane@hotmail.cmo", "jane@hotmail.com"],
    ["jane@gmaik.com", "jane@gmail.com"],
    ["jane@yahooo.com", "jane@yahoo.com"],
    ["jane@icloud.cm", "jane@icloud.com"],
    ["jane@outlook.con", "jane@outlook.com"],
    ["jane@gail.com", "jane@gmail.com"],
  ])("suggests a fix for %s", (typed, expected) => {
    expect(suggestEmail(typed)).toBe(expected);
  });

  it("keeps the local part exactly as typed", () => {
    expect(suggestEmail("  Jane.Doe+Billing@GMIAL.com ")).toBe("Jane.Doe+Billing@gmail.com");
  });

  it.each([
    "jane@gmail.com",
    "jane@yahoo.de",
    "jane@hotmail.co.uk",
    "jane@gmx.net",
    "jane@mail.com",
    "jane@me.com",
    "jane@email.com",
    "jane@northwind.example",
    "jane@mail.northwind.com",
    "jane@horizon.net",
    "jane@proton.me",
    "maya.p.home@mail.example",
  ])("leaves %s alone (a real provider or someone's own domain)", (address) => {
    expect(suggestEmail(address)).toBeNull();
  });

  it("answers null for text that is not an address yet", () => {
    for (const text of ["", "jane", "jane@", "@gmial.com"]) expect(suggestEmail(text)).toBeNull();
  });
});

describe("helpers", () => {
  it("counts a swap of neighbouring letters as one edit", () => {
    expect(editDistance("gmial", "gmail")).toBe(1);
    expect(editDistance("outlok", "outlook")).toBe(1);
    expect(editDistance("abc", "abc")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("knows the public providers, whatever the case", () => {
    expect(isWellKnownProviderDomain("Gmail.COM")).toBe(true);
    expect(isWellKnownProviderDomain("lumen-dental.example")).toBe(false);
  });

  it("suggests domains on their own too", () => {
    expect(suggestDomain("gmial.com")).toBe("gmail.com");
    expect(suggestDomain("gmail.com.")).toBeNull();
  });
});
