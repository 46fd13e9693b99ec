import * as nodeCrypto from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import {
  CODE_HMAC_HKDF_INFO,
  codeMatches,
  generateCode,
  generateLinkToken,
  hashCode,
  hashLinkToken,
  isLinkTokenShape,
  normalizeCodeInput,
} from "@/features/verification/codes";

// Wrap timingSafeEqual so a test can prove the comparison goes through it.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { createHash, createHmac, hkdfSync } = nodeCrypto;
const SECRET = "unit-test-secret-unit-test-secret-0123456789";
const binding = { purpose: "email_verification", target: "jane@example.com" };

describe("generateCode", () => {
  it("gives 6 decimal digits spread over the whole range, leading zeros included", () => {
    const codes = Array.from({ length: 5000 }, generateCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    // 5,000 draws from 1,000,000: collisions are rare (expected ≈ 12)…
    expect(new Set(codes).size).toBeGreaterThan(4900);
    // …and about 10% start with 0; a generator over 100000–999999 would give none.
    expect(codes.filter((code) => code.startsWith("0")).length).toBeGreaterThan(300);
  });

  it("draws from the CSPRNG, never Math.random", () => {
    const source = readFileSync(new URL("./codes.ts", import.meta.url), "utf8");
    expect(source).toMatch(/randomInt\(0, 10 \*\* CODE_DIGITS\)/);
    expect(source).not.toMatch(/Math\.random/);
  });
});

describe("normalizeCodeInput", () => {
  it("accepts what people type around a code and refuses what cannot be one", () => {
    expect(normalizeCodeInput(" 123 456 ")).toBe("123456");
    expect(normalizeCodeInput("123-456")).toBe("123456");
    expect(normalizeCodeInput("12345")).toBeNull();
    expect(normalizeCodeInput("1234567")).toBeNull();
    expect(normalizeCodeInput("12a456")).toBeNull();
    expect(normalizeCodeInput("١٢٣٤٥٦")).toBeNull(); // non-ASCII digits
    expect(normalizeCodeInput(`123456${" ".repeat(100)}`)).toBeNull();
  });
});

describe("hashCode", () => {
  it("is HMAC-SHA256 under an HKDF key of its own, not a plain hash of the code", () => {
    const key = Buffer.from(hkdfSync("sha256", SECRET, "veridesk", "veridesk/verification-code-hmac/v1", 32));
    const expected = createHmac("sha256", key).update("18:email_verification|16:jane@example.com|6:042917").digest("hex");
    expect(hashCode("042917", binding, SECRET)).toBe(`hmac-sha256:v1:${expected}`);
    expect(hashCode("042917", binding, SECRET)).not.toContain(createHash("sha256").update("042917").digest("hex"));
  });

  it("uses a key that is not the outbox sealing key", () => {
    expect(CODE_HMAC_HKDF_INFO).not.toBe("veridesk/outbox-body/v1");
    const outboxKey = Buffer.from(hkdfSync("sha256", SECRET, "veridesk", "veridesk/outbox-body/v1", 32));
    const withOutboxKey = createHmac("sha256", outboxKey).update("18:email_verification|16:jane@example.com|6:042917").digest("hex");
    expect(hashCode("042917", binding, SECRET)).not.toContain(withOutboxKey);
  });

  it("cannot be reversed offline without the secret: trying codes (the right one included) under another secret finds nothing", () => {
    const stored = hashCode("042917", binding, SECRET);
    let found = 0;
    // 000000–099999 holds the real code; an unkeyed hash would be found here.
    for (let candidate = 0; candidate < 100_000; candidate++) {
      if (hashCode(candidate.toString().padStart(6, "0"), binding, "an-attacker-guess-at-the-secret-0123456789") === stored) found++;
    }
    expect(found).toBe(0);
  });

  it("binds the code to its purpose and target", () => {
    const reference = hashCode("123456", binding, SECRET);
    expect(hashCode("123456", { ...binding, purpose: "sign_in_second_factor" }, SECRET)).not.toBe(reference);
    expect(hashCode("123456", { ...binding, target: "john@example.com" }, SECRET)).not.toBe(reference);
    // Length prefixes: moving characters between fields gives another hash.
    expect(hashCode("123456", { purpose: "a|b", target: "c" }, SECRET)).not.toBe(hashCode("123456", { purpose: "a", target: "b|c" }, SECRET));
    expect(hashCode("123456", binding, "another-secret-another-secret-0123456789")).not.toBe(reference);
    expect(reference).not.toContain("123456");
  });
});

describe("codeMatches", () => {
  const stored = hashCode("731904", binding, SECRET);

  it("accepts only the same code for the same purpose, target and secret", () => {
    expect(codeMatches("731904", stored, binding, SECRET)).toBe(true);
    expect(codeMatches("731905", stored, binding, SECRET)).toBe(false);
    expect(codeMatches("731904", stored, { ...binding, purpose: "password_reset" }, SECRET)).toBe(false);
    expect(codeMatches("731904", stored, { ...binding, target: "eve@example.com" }, SECRET)).toBe(false);
    expect(codeMatches("731904", stored, binding, "another-secret-another-secret-0123456789")).toBe(false);
    expect(codeMatches("731904", "garbage", binding, SECRET)).toBe(false);
  });

  it("compares in constant time", () => {
    const timingSafeEqual = vi.mocked(nodeCrypto.timingSafeEqual);
    timingSafeEqual.mockClear();
    codeMatches("000000", stored, binding, SECRET);
    codeMatches("731904", stored, binding, SECRET);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
  });
});

describe("link tokens", () => {
  it("are 32 random bytes in base64url", () => {
    const tokens = Array.from({ length: 200 }, generateLinkToken);
    expect(new Set(tokens).size).toBe(200);
    for (const token of tokens) {
      expect(isLinkTokenShape(token)).toBe(true);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
    }
    expect(isLinkTokenShape("short")).toBe(false);
    expect(isLinkTokenShape(`${tokens[0]!.slice(0, 42)}=`)).toBe(false);
  });

  it("are stored as their SHA-256, which does not contain them", () => {
    const token = generateLinkToken();
    expect(hashLinkToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashLinkToken(token)).not.toContain(token);
  });
});
