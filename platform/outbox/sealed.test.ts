import { describe, expect, it } from "vitest";
import { isSealed, openSealedText, SealedTextError, sealText } from "@/platform/outbox/sealed";

const secret = "a-test-secret-that-is-long-enough-0123456789";

describe("sealed text", () => {
  it("round-trips text, including non-ASCII and empty strings", () => {
    for (const text of ["Your code is 483920", "Grüße — 你好 🎫", ""]) {
      const sealed = sealText(text, secret);
      expect(isSealed(sealed)).toBe(true);
      expect(openSealedText(sealed, secret)).toBe(text);
    }
  });

  it("never contains the plaintext and differs every time (random IV)", () => {
    const first = sealText("Your code is 483920", secret);
    const second = sealText("Your code is 483920", secret);
    expect(first).not.toContain("483920");
    expect(Buffer.from(first.slice("sealed:v1:".length), "base64url").toString("latin1")).not.toContain("483920");
    expect(first).not.toBe(second);
  });

  it("uses NEXTAUTH_SECRET from the environment by default", () => {
    const sealed = sealText("default key");
    expect(openSealedText(sealed, process.env.NEXTAUTH_SECRET)).toBe("default key");
    expect(openSealedText(sealed)).toBe("default key");
  });

  it("refuses to open under another secret", () => {
    const sealed = sealText("Your code is 483920", secret);
    expect(() => openSealedText(sealed, "another-secret-that-is-long-enough-000000")).toThrow(SealedTextError);
  });

  it("refuses altered, truncated or unsealed text", () => {
    const sealed = sealText("Your code is 483920", secret);
    const raw = Buffer.from(sealed.slice("sealed:v1:".length), "base64url");
    const last = raw.length - 1;
    raw[last] = raw[last]! ^ 0x01;
    expect(() => openSealedText("sealed:v1:" + raw.toString("base64url"), secret)).toThrow(SealedTextError);
    expect(() => openSealedText("sealed:v1:AAAA", secret)).toThrow(/truncated/);
    expect(() => openSealedText("Your code is 483920", secret)).toThrow(/not sealed/);
  });
});
