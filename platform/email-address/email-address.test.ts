import { describe, expect, it } from "vitest";
import {
  EMAIL_FORMAT_MESSAGE,
  emailAddressSchema,
  isSameEmail,
  isSendableAddress,
  mailboxAddress,
  normalizeEmail,
} from "@/platform/email-address/email-address";

describe("normalizeEmail", () => {
  it("trims surrounding whitespace and lower-cases the whole address", () => {
    expect(normalizeEmail("  Maya.Patel@Northwind.EXAMPLE \n")).toBe("maya.patel@northwind.example");
  });

  it("keeps plus-addressing and dots exactly as given, because aliases match exactly", () => {
    expect(normalizeEmail("Maya+Billing@northwind.example")).toBe("maya+billing@northwind.example");
    expect(normalizeEmail("m.a.y.a@gmail.example")).toBe("m.a.y.a@gmail.example");
    expect(isSameEmail("maya+billing@northwind.example", "maya@northwind.example")).toBe(false);
  });

  it("treats composed and decomposed accents as the same address", () => {
    expect(normalizeEmail("Jos\u0065\u0301@exemple.example")).toBe(normalizeEmail("jos\u00e9@exemple.example"));
    expect(isSameEmail("JOSE\u0301@exemple.example", "jos\u00e9@exemple.example")).toBe(true);
  });

  it("is idempotent", () => {
    const once = normalizeEmail(" Tom@Bluebell-Bakery.example ");
    expect(normalizeEmail(once)).toBe(once);
  });
});

describe("isSendableAddress, the one rule for addresses Veridesk sends to or accepts", () => {
  it("accepts ordinary, tagged, dotted and internationalised addresses", () => {
    for (const address of [
      "maya@northwind.example",
      "Maya.Patel+billing@mail.northwind.example",
      "o'brien@bluebell-bakery.co.uk",
      "jos\u00e9@exemple.example",
      "a@b.io",
      `${"l".repeat(64)}@example.com`,
    ]) {
      expect(isSendableAddress(address), address).toBe(true);
    }
  });

  it("refuses a dotless domain such as ops@intranet (the reply service could never send there)", () => {
    expect(isSendableAddress("ops@intranet")).toBe(false);
    expect(isSendableAddress("root@localhost")).toBe(false);
  });

  it("refuses what is not a plain address: spaces, control characters, header syntax, two @, bad dots or labels", () => {
    for (const address of [
      "",
      "maya",
      "@northwind.example",
      "maya@",
      "maya @northwind.example",
      "maya@northwind .example",
      "maya\u0000@northwind.example",
      "maya@north\nwind.example",
      "Maya <maya@northwind.example>",
      "a,b@northwind.example",
      '"maya"@northwind.example',
      "maya@@northwind.example",
      "a@b@northwind.example",
      ".maya@northwind.example",
      "maya.@northwind.example",
      "ma..ya@northwind.example",
      "maya@northwind..example",
      "maya@.northwind.example",
      "maya@northwind.example.",
      "maya@-northwind.example",
      "maya@northwind-.example",
      "maya@north_wind.example",
      "maya@192.168.0.1",
      "maya@[192.168.0.1]",
    ]) {
      expect(isSendableAddress(address), JSON.stringify(address)).toBe(false);
    }
  });

  it("holds the length limits: 64 before the @, 63 per label, 254 in all", () => {
    expect(isSendableAddress(`${"l".repeat(65)}@example.com`)).toBe(false);
    expect(isSendableAddress(`maya@${"d".repeat(63)}.example`)).toBe(true);
    expect(isSendableAddress(`maya@${"d".repeat(64)}.example`)).toBe(false);
    const domain = `${Array.from({ length: 4 }, () => "d".repeat(60)).join(".")}.com`; // 247 characters
    expect(isSendableAddress(`${"l".repeat(6)}@${domain}`)).toBe(true); // 254
    expect(isSendableAddress(`${"l".repeat(7)}@${domain}`)).toBe(false); // 255
  });
});

describe("emailAddressSchema", () => {
  const schema = emailAddressSchema({ required: "Enter your email address.", tooLong: "Too long." });
  const messages = (value: unknown) => schema.safeParse(value).error?.issues.map((issue) => issue.message);

  it("trims, then gives each problem its own single message", () => {
    expect(schema.parse("  maya@northwind.example ")).toBe("maya@northwind.example");
    expect(messages("  ")).toEqual(["Enter your email address."]);
    expect(messages(`${"l".repeat(250)}@example.com`)).toEqual(["Too long."]);
    expect(messages("ops@intranet")).toEqual([EMAIL_FORMAT_MESSAGE]);
    expect(EMAIL_FORMAT_MESSAGE).toBe("Enter an email address like name@example.com.");
  });
});

describe("mailboxAddress", () => {
  it("takes the address out of a configured mailbox, and leaves a bare address as it is", () => {
    expect(mailboxAddress("Veridesk Support <support@example.com>")).toBe("support@example.com");
    expect(mailboxAddress('"Support <desk>" <support@example.com> ')).toBe("support@example.com");
    expect(mailboxAddress(" support@example.com ")).toBe("support@example.com");
  });
});
