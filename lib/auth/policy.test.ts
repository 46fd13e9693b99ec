import { describe, expect, it } from "vitest";
import { homePathFor, mayEnter, safeReturnPath } from "@/lib/auth/policy";

describe("area policy", () => {
  it.each([
    ["customer", "portal", true],
    ["customer", "console", false],
    ["customer", "supervisor", false],
    ["agent", "console", true],
    ["agent", "supervisor", false],
    ["agent", "portal", false],
    ["supervisor", "console", true],
    ["supervisor", "supervisor", true],
    ["supervisor", "admin", false],
    ["admin", "admin", true],
    ["admin", "supervisor", true],
  ] as const)("%s may enter %s: %s", (role, area, expected) => {
    expect(mayEnter(role, area)).toBe(expected);
  });

  it("sends customers to the portal and staff to the console", () => {
    expect(homePathFor("customer")).toBe("/portal");
    expect(homePathFor("agent")).toBe("/console");
    expect(homePathFor("supervisor")).toBe("/console");
  });

  it("accepts only same-site return paths", () => {
    expect(safeReturnPath("/console?status=open")).toBe("/console?status=open");
    expect(safeReturnPath("//evil.example/x")).toBeNull();
    expect(safeReturnPath("/\\evil.example")).toBeNull();
    expect(safeReturnPath("https://evil.example")).toBeNull();
    expect(safeReturnPath("/ok\nSet-Cookie:x")).toBeNull();
    expect(safeReturnPath(undefined)).toBeNull();
  });
});
