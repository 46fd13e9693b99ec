import { describe, expect, it } from "vitest";
import { isSameEmail, normalizeEmail } from "@/platform/email-address/email-address";

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
