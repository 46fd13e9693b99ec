import { describe, expect, it } from "vitest";
import {
  correctAddressSchema,
  countryOptions,
  defaultCountryFrom,
  phoneToE164,
  registrationSchema,
  verifyCodeSchema,
  verifyLinkSchema,
} from "@/features/accounts/registration/schemas";

const valid = {
  name: "Ana Lima",
  email: "Ana.Lima@Example.com",
  password: "saffron-lantern-93",
  phoneCountry: "AU",
  phone: "0491 570 159",
  accountHint: "ACC-10001",
};

/** The first message for each field, as the form shows it. */
function messages(input: unknown): Record<string, string> {
  const result = registrationSchema.safeParse(input);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}

describe("registrationSchema", () => {
  it("accepts a complete registration and stores the mobile in E.164", () => {
    const parsed = registrationSchema.parse(valid);
    expect(parsed).toEqual({ name: "Ana Lima", email: "Ana.Lima@Example.com", password: valid.password, phoneE164: "+61491570159", accountHint: "ACC-10001" });
  });

  it("treats the optional fields as optional", () => {
    const parsed = registrationSchema.parse({ ...valid, phone: "", accountHint: "  " });
    expect(parsed.phoneE164).toBeNull();
    expect(parsed.accountHint).toBeNull();
    expect(registrationSchema.parse({ name: "Ana Lima", email: "ana@example.com", password: valid.password, phoneCountry: "US" }).phoneE164).toBeNull();
  });

  it("reads a number with its own country code whatever country is chosen", () => {
    expect(registrationSchema.parse({ ...valid, phoneCountry: "US", phone: "+61 491 570 159" }).phoneE164).toBe("+61491570159");
  });

  it("explains empty fields", () => {
    expect(messages({ ...valid, name: "", email: "", password: "" })).toEqual({
      name: "Enter your full name.",
      email: "Enter your email address.",
      password: "Enter a password.",
    });
  });

  it("explains over-long fields", () => {
    const result = messages({
      ...valid,
      name: "a".repeat(101),
      email: `${"a".repeat(250)}@example.com`,
      password: "x".repeat(2000),
      accountHint: "h".repeat(101),
      phone: "1".repeat(31),
    });
    expect(result.name).toMatch(/at most 100 characters/);
    expect(result.email).toMatch(/too long/);
    expect(result.password).toMatch(/too long/);
    expect(result.accountHint).toMatch(/at most 100 characters/);
    expect(result.phone).toMatch(/too long/);
  });

  it("refuses markup and control characters in free text", () => {
    const result = messages({ ...valid, name: "<script>alert(1)</script>", accountHint: "ACC <b>1</b>" });
    expect(result.name).toBe("Use plain text: the characters < and > are not allowed.");
    expect(result.accountHint).toBe("Use plain text: the characters < and > are not allowed.");
    expect(messages({ ...valid, name: "Ana\u202eamiL" }).name).toMatch(/control characters/);
    expect(messages({ ...valid, email: "<a>@example.com" }).email).toBe("Enter an email address like name@example.com.");
  });

  it("explains values of the wrong type", () => {
    const result = messages({ name: 42, email: ["a@b.c"], password: { x: 1 }, phoneCountry: null, phone: 5, accountHint: false });
    expect(result).toEqual({
      name: "Enter your full name.",
      email: "Enter your email address.",
      password: "Enter a password.",
      phoneCountry: "Choose the country of your mobile number.",
      phone: "Enter the mobile number as digits.",
      accountHint: "Enter the account number or company as text.",
    });
    expect(registrationSchema.safeParse(null).success).toBe(false);
    expect(registrationSchema.safeParse("name=x").success).toBe(false);
  });

  it("applies the password policy, including the person's own name and address", () => {
    expect(messages({ ...valid, password: "short" }).password).toMatch(/at least 8/);
    expect(messages({ ...valid, password: "password123" }).password).toMatch(/common/);
    expect(messages({ ...valid, password: "analima2024" }).password).toMatch(/name, your email/);
  });

  it("checks the mobile number against the chosen country", () => {
    expect(messages({ ...valid, phone: "12" }).phone).toMatch(/not a valid number for the country/);
    expect(messages({ ...valid, phone: "call me" }).phone).toMatch(/digits only/);
    expect(messages({ ...valid, phoneCountry: "XX" }).phoneCountry).toMatch(/from the list/);
  });

  it("drops unknown fields", () => {
    const parsed = registrationSchema.parse({ ...valid, role: "admin", customerId: "x" });
    expect(parsed).not.toHaveProperty("role");
    expect(parsed).not.toHaveProperty("customerId");
  });
});

describe("verification page schemas", () => {
  it("accepts a code with spaces or dashes and refuses anything else", () => {
    expect(verifyCodeSchema.parse({ code: "123 456" }).code).toBe("123456");
    expect(verifyCodeSchema.parse({ code: "123-456" }).code).toBe("123456");
    expect(verifyCodeSchema.safeParse({ code: "" }).error?.issues[0]?.message).toBe("Enter the 6-digit code from the email.");
    expect(verifyCodeSchema.safeParse({ code: "12345" }).error?.issues[0]?.message).toBe("The code is 6 digits, like 123456.");
    expect(verifyCodeSchema.safeParse({ code: "abcdef" }).success).toBe(false);
    expect(verifyCodeSchema.safeParse({ code: 123456 }).success).toBe(false);
  });

  it("lets the link be submitted with or without its code", () => {
    expect(verifyLinkSchema.parse({ token: "t".repeat(43), code: "" }).code).toBe("");
    expect(verifyLinkSchema.parse({ token: "t".repeat(43) }).code).toBeUndefined();
    expect(verifyLinkSchema.safeParse({ token: "t".repeat(43), code: "12" }).success).toBe(false);
    expect(verifyLinkSchema.safeParse({ token: "" }).success).toBe(false);
  });

  it("validates the corrected address like the registration's", () => {
    expect(correctAddressSchema.safeParse({ email: "not-an-address" }).error?.issues[0]?.message).toBe("Enter an email address like name@example.com.");
    expect(correctAddressSchema.parse({ email: " b@example.com " }).email).toBe("b@example.com");
  });
});

describe("country chooser", () => {
  it("lists every country with its calling code, by name", () => {
    const countries = countryOptions();
    expect(countries.length).toBeGreaterThan(200);
    expect(countries.find((country) => country.code === "AU")).toEqual({ code: "AU", name: "Australia", callingCode: "61" });
    const names = countries.map((country) => country.name);
    expect([...names].sort((a, b) => a.localeCompare(b, "en"))).toEqual(names);
  });

  it("preselects the country of the browser's language, or the US", () => {
    expect(defaultCountryFrom("en-AU,en;q=0.9")).toBe("AU");
    expect(defaultCountryFrom("de,fr-CH;q=0.8")).toBe("CH");
    expect(defaultCountryFrom("en")).toBe("US");
    expect(defaultCountryFrom(null)).toBe("US");
  });

  it("converts to E.164 only valid numbers", () => {
    expect(phoneToE164("020 7183 8750", "GB")).toBe("+442071838750");
    expect(phoneToE164("123", "GB")).toBeNull();
    expect(phoneToE164("0491 570 159", "ZZ")).toBeNull();
  });
});
