import { describe, expect, it } from "vitest";
import { senderDisplayName, senderWithName } from "@/platform/outbox/transports/sender";

describe("senderWithName", () => {
  it("keeps the configured address under the new name, quoted and escaped", () => {
    expect(senderWithName("Veridesk Support <support@example.com>", "Dana from Veridesk Support")).toBe('"Dana from Veridesk Support" <support@example.com>');
    expect(senderWithName("support@example.com", 'Zoë "Z" \\ M')).toBe('"Zoë \\"Z\\" \\\\ M" <support@example.com>');
  });

  it("never lets a name break the header, and leaves the sender alone without a name", () => {
    expect(senderWithName("S <s@example.com>", "Dana\r\nBcc: x@evil.example")).toBe('"Dana Bcc: x@evil.example" <s@example.com>');
    expect(senderWithName("S <s@example.com>", "  ")).toBe("S <s@example.com>");
    expect(senderWithName("S <s@example.com>", null)).toBe("S <s@example.com>");
  });
});

describe("senderDisplayName", () => {
  it("reads the display name of the configured sender", () => {
    expect(senderDisplayName("Veridesk Support <support@example.com>")).toBe("Veridesk Support");
    expect(senderDisplayName('"Acme, Inc. Help" <help@acme.example>')).toBe("Acme, Inc. Help");
    expect(senderDisplayName("support@example.com")).toBeNull();
    expect(senderDisplayName("<support@example.com>")).toBeNull();
  });
});
