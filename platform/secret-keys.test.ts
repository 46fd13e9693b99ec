import { hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { derivedKey } from "@/platform/secret-keys";

describe("derivedKey", () => {
  it("is HKDF-SHA256 of the secret under the salt 'veridesk' and the purpose, 32 bytes (so keys derived before stay valid)", () => {
    const expected = Buffer.from(hkdfSync("sha256", "secret-one", "veridesk", "veridesk/test/v1", 32));
    expect(derivedKey("veridesk/test/v1", "secret-one").equals(expected)).toBe(true);
  });
  it("gives each purpose its own key, and follows a changed secret", () => {
    const a = derivedKey("veridesk/a/v1", "secret-one");
    expect(a.equals(derivedKey("veridesk/b/v1", "secret-one"))).toBe(false);
    expect(a.equals(derivedKey("veridesk/a/v1", "secret-two"))).toBe(false);
    expect(derivedKey("veridesk/a/v1", "secret-one").equals(a)).toBe(true);
  });
});
