import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { hash } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  DUMMY_PASSWORD_HASH,
  PASSWORD_HASH_OPTIONS,
  PASSWORD_INPUT_LIMIT,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  checkPasswordPolicy,
  loadCommonPasswords,
  contextWordsOf,
  hashPassword,
  passwordNeedsRehash,
  passwordSchema,
  passwordSchemaFor,
  refinePasswordField,
  verifyPassword,
  verifyPasswordOrDummy,
} from "@/features/accounts/password/password";

/** The shipped blocklist (password-blocklist.json) as the policy loads it. */
const COMMON_PASSWORDS = loadCommonPasswords();

const require = createRequire(import.meta.url);

function reasonOf(password: string, context = {}) {
  const result = checkPasswordPolicy(password, context);
  return result.ok ? "ok" : result.reason;
}

describe("hashPassword / verifyPassword", () => {
  it("makes Argon2id hashes with the OWASP parameters and a fresh salt each time", async () => {
    const first = await hashPassword("amber-kettle-48");
    const second = await hashPassword("amber-kettle-48");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(passwordNeedsRehash(first)).toBe(false);
  });

  it("accepts the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("amber-kettle-48");
    await expect(verifyPassword(stored, "amber-kettle-48")).resolves.toBe(true);
    await expect(verifyPassword(stored, "amber-kettle-49")).resolves.toBe(false);
    await expect(verifyPassword(stored, "Amber-kettle-48")).resolves.toBe(false);
    await expect(verifyPassword(stored, "")).resolves.toBe(false);
  });

  it("treats the same visible password typed in another Unicode form as the same password (NFKC)", async () => {
    const stored = await hashPassword("caf\u00e9 au lait, s'il vous pla\u00eet");
    await expect(verifyPassword(stored, "cafe\u0301 au lait, s'il vous plai\u0302t")).resolves.toBe(true);
  });

  it("returns false instead of throwing for malformed or foreign hashes", async () => {
    for (const malformed of [
      "",
      "not-a-hash",
      "$argon2id$",
      "$argon2id$v=19$m=19456,t=2,p=1$!!!$???",
      "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
    ]) {
      await expect(verifyPassword(malformed, "amber-kettle-48")).resolves.toBe(false);
    }
  });

  it("refuses to hash an empty or absurdly long password, and never verifies one", async () => {
    await expect(hashPassword("")).rejects.toThrow(RangeError);
    await expect(hashPassword("x".repeat(PASSWORD_INPUT_LIMIT + 1))).rejects.toThrow(RangeError);
    await expect(verifyPassword(DUMMY_PASSWORD_HASH, "x".repeat(PASSWORD_INPUT_LIMIT + 1))).resolves.toBe(false);
  });

  it("asks for a rehash when a stored hash used weaker parameters or is unreadable", async () => {
    const weaker = await hash("amber-kettle-48", { ...PASSWORD_HASH_OPTIONS, timeCost: 1 });
    expect(passwordNeedsRehash(weaker)).toBe(true);
    expect(passwordNeedsRehash("garbage")).toBe(true);
  });
});

describe("verifyPasswordOrDummy", () => {
  it("keeps the dummy hash on the same parameters as real hashes, so both paths cost the same", () => {
    expect(DUMMY_PASSWORD_HASH.startsWith("$argon2id$")).toBe(true);
    expect(passwordNeedsRehash(DUMMY_PASSWORD_HASH)).toBe(false);
  });

  it("returns false for a missing account whatever the password", async () => {
    await expect(verifyPasswordOrDummy(null, "amber-kettle-48")).resolves.toBe(false);
    await expect(verifyPasswordOrDummy(undefined, "")).resolves.toBe(false);
  });

  it("checks a real hash like verifyPassword", async () => {
    const stored = await hashPassword("amber-kettle-48");
    await expect(verifyPasswordOrDummy(stored, "amber-kettle-48")).resolves.toBe(true);
    await expect(verifyPasswordOrDummy(stored, "wrong-kettle-48")).resolves.toBe(false);
  });
});

describe("checkPasswordPolicy: length", () => {
  it("needs at least 8 characters and allows up to 128", () => {
    expect(reasonOf("")).toBe("too_short");
    expect(reasonOf("kx7#qpz")).toBe("too_short");
    expect(reasonOf("kx7#qpzm")).toBe("ok");
    expect(reasonOf("river stone ".repeat(6).slice(0, 64))).toBe("ok");
    const longest = Array.from({ length: PASSWORD_MAX_LENGTH }, (_, index) => "abcdefghijklmnopqrstuvwxyz0123456789"[(index * 7) % 36]).join("");
    expect(reasonOf(longest)).toBe("ok");
    expect(reasonOf(longest + "q")).toBe("too_long");
    expect(PASSWORD_MIN_LENGTH).toBe(8);
  });

  it("counts characters as people do, not UTF-16 units", () => {
    expect(reasonOf("🐙🦀🐢🦉🐝🦊🐧")).toBe("too_short"); // 7 characters, 14 UTF-16 units
    expect(reasonOf("🐙🦀🐢🦉🐝🦊🐧🦔")).toBe("ok");
  });

  it("has no composition rules: lower-case words, spaces and any script are fine", () => {
    expect(reasonOf("purple tractor singing")).toBe("ok");
    expect(reasonOf("Grüße aus München")).toBe("ok");
    expect(reasonOf("とうきょうタワーの夜景")).toBe("ok");
  });
});

describe("checkPasswordPolicy: common and predictable passwords", () => {
  it("refuses passwords from the breach-derived blocklist, in any letter case", () => {
    expect(reasonOf("password")).toBe("common");
    expect(reasonOf("iloveyou")).toBe("common");
    expect(reasonOf("SUNSHINE")).toBe("common");
    expect(reasonOf(COMMON_PASSWORDS.at(-1) ?? "")).toBe("common");
  });

  it("refuses a common password decorated with trailing digits or symbols", () => {
    expect(reasonOf("football2024")).toBe("common");
    expect(reasonOf("Password123!")).toBe("common");
  });

  it("refuses repeated units and straight runs", () => {
    for (const pattern of ["aaaaaaaa", "abababab", "xyzxyzxyz", "12121212", "23456789", "98765432", "lmnopqrstu", "zyxwvutsrq!", "!!!!!!!!"]) {
      expect(reasonOf(pattern), pattern).toBe("predictable");
    }
  });
});

describe("checkPasswordPolicy: context words", () => {
  const maya = { email: "maya.patel@northwind.example", name: "Maya Patel" };

  it("refuses passwords built around the product name", () => {
    expect(reasonOf("veridesk2025")).toBe("personal");
    expect(reasonOf("Veridesk!Veridesk!")).toBe("personal");
  });

  it("refuses passwords built around the person's email local part or name", () => {
    expect(reasonOf("mayapatel1990", maya)).toBe("personal");
    expect(reasonOf("patel-maya-2024", maya)).toBe("personal");
    expect(reasonOf("Maya.Patel!!", maya)).toBe("personal");
    expect(reasonOf("mayapatel1990")).toBe("ok"); // without context it is just an unusual string
  });

  it("allows a context word inside a password that is strong without it", () => {
    expect(reasonOf("correct horse veridesk battery")).toBe("ok");
    expect(reasonOf("maya likes quiet green tractors", maya)).toBe("ok");
  });

  it("ignores name parts too short to be telling", () => {
    expect(contextWordsOf({ name: "Li Ng", email: "li@x.example" })).toEqual(["veridesk", "ling"]);
    expect(reasonOf("lingering clouds", { name: "Li Ng" })).toBe("ok");
  });
});

describe("passwordSchema", () => {
  it("passes a good password through untouched (spaces are never trimmed)", () => {
    expect(passwordSchema.parse("  purple tractor singing  ")).toBe("  purple tractor singing  ");
  });

  it("gives one plain-words message and the reason code", () => {
    const result = passwordSchema.safeParse("password1");
    expect(result.success).toBe(false);
    const [issue] = result.error?.issues ?? [];
    expect(issue?.message).toMatch(/most common/);
    expect((issue as { params?: { reason?: string } } | undefined)?.params?.reason).toBe("common");
    expect(passwordSchema.safeParse("short").error?.issues[0]?.message).toBe("Use at least 8 characters.");
    expect(passwordSchema.safeParse(undefined).error?.issues[0]?.message).toBe("Enter a password.");
  });

  it("can know the person, directly or as a refinement of a sign-up object", () => {
    expect(passwordSchemaFor({ name: "Grace Kim" }).safeParse("gracekim!!").success).toBe(false);
    expect(passwordSchemaFor({ name: "Grace Kim" }).safeParse("silver orchard 85").success).toBe(true);
    const signUp = z.object({ email: z.string(), name: z.string(), password: z.string() }).superRefine(refinePasswordField);
    const result = signUp.safeParse({ email: "grace.kim@lumen-dental.example", name: "Grace Kim", password: "grace.kim.2024" });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["password"]]);
  });
});

describe("the shipped blocklist", () => {
  it("is exactly the 8+ character entries of the installed @zxcvbn-ts/language-common list, in order", () => {
    const packageList: string[] = JSON.parse(readFileSync(require.resolve("@zxcvbn-ts/language-common/src/passwords.json"), "utf8"));
    const expected = [
      ...new Set(
        packageList
          .map((entry) => entry.normalize("NFKC").toLowerCase())
          .filter((entry) => {
            const length = [...entry].length;
            return length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH;
          }),
      ),
    ];
    expect(COMMON_PASSWORDS.length).toBeGreaterThan(10_000);
    // On failure after a package bump: regenerate features/accounts/password/password-blocklist.json the same way
    // (JSON.stringify(expected) with the filter above).
    expect(COMMON_PASSWORDS).toEqual(expected);
  });
});
