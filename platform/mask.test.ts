import { describe, expect, it } from "vitest";
import { maskEmail, maskPhone, maskTarget } from "@/platform/mask";

describe("maskEmail", () => {
  it("keeps the first character of the local part and the whole domain", () => {
    expect(maskEmail("jane.doe@example.com")).toBe("j•••@example.com");
    expect(maskEmail("  Jane.Doe@Example.COM ")).toBe("J•••@example.com");
    expect(maskEmail("a@b.co")).toBe("a•••@b.co");
  });

  it("never shows more than one character of the local part", () => {
    const masked = maskEmail("verylonglocalpart@example.com");
    expect(masked).not.toContain("erylong");
    expect(masked).toBe("v•••@example.com");
  });

  it("keeps a whole character when the address starts outside the Basic Multilingual Plane", () => {
    expect(maskEmail("😀smile@example.com")).toBe("😀•••@example.com");
  });

  it("hides malformed input entirely instead of echoing it", () => {
    expect(maskEmail("not-an-address")).toBe("•••");
    expect(maskEmail("@example.com")).toBe("•••");
    expect(maskEmail("jane@")).toBe("•••");
  });
});

describe("maskPhone", () => {
  it("keeps the country code and the last three digits", () => {
    expect(maskPhone("+447700900058")).toBe("+44 •••• •••058");
    expect(maskPhone("+15005550006")).toBe("+1 •••• •••006");
    expect(maskPhone("+4915112345678")).toBe("+49 •••• •••678");
  });

  it("does not reveal the length of the number", () => {
    expect(maskPhone("+33612345678").length).toBe(maskPhone("+33612345678901").length);
  });

  it("never contains the hidden middle digits", () => {
    expect(maskPhone("+447700900058")).not.toMatch(/7700|900/);
  });

  it("falls back to the last digits for numbers it cannot place", () => {
    expect(maskPhone("+999123456")).toBe("•••• •••456");
    expect(maskPhone("12")).toBe("•••12");
  });
});

describe("maskTarget", () => {
  it("masks by channel", () => {
    expect(maskTarget("email", "jane@example.com")).toBe("j•••@example.com");
    expect(maskTarget("sms", "+447700900058")).toBe("+44 •••• •••058");
  });
});
