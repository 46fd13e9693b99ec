import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { dateInRange, isIsoDay, isIsoInstant, isWellFormed, truncateText, unstorableTextPaths } from "@/platform/text/schemas";

/**
 * Property-based fuzzing of every input schema (issue 16): whatever arrives — NUL, lone
 * surrogates, control characters, huge strings, impossible dates, wrong types — a schema either
 * refuses it (safeParse fails) or its output is text PostgreSQL can store (well-formed, NUL-free)
 * and dates it can hold. Found automatically: every ZodType exported from features/**\/schemas.ts
 * and *-schemas.ts, plus the action and filter schemas that live elsewhere. Fixed seed, bounded runs.
 */

const SEED = 1604;
const RUNS = 150;

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return schemaFiles(path);
    return /(^|-)schemas\.ts$/.test(entry) ? [path] : [];
  });
}

const isZod = (value: unknown): value is z.ZodType =>
  typeof value === "object" && value !== null && "safeParse" in value && typeof (value as { safeParse: unknown }).safeParse === "function";

const root = join(import.meta.dirname, "..");
const EXTRA_MODULES = ["features/tickets/canned-replies.ts", "features/audit/queries.ts"];
const schemas: { name: string; schema: z.ZodType }[] = [];
for (const file of [...schemaFiles(join(root, "features")), ...EXTRA_MODULES.map((path) => join(root, path))]) {
  const module = (await import(file)) as Record<string, unknown>;
  for (const [exported, value] of Object.entries(module)) {
    if (isZod(value)) schemas.push({ name: `${relative(root, file)}#${exported}`, schema: value });
  }
}

/** The keys an object schema reads (through pipes, refinements, defaults, unions), or [] for a scalar. */
function keysOf(schema: unknown, depth = 0): string[] {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (!def || depth > 10) return [];
  if (def.type === "object") return Object.keys(def.shape as object);
  if (def.type === "pipe") return keysOf(def.in, depth + 1);
  if (def.type === "union") return [...new Set((def.options as unknown[]).flatMap((option) => keysOf(option, depth + 1)))];
  if ("innerType" in def) return keysOf(def.innerType, depth + 1);
  return [];
}

const uuid = "00000000-0000-4000-8000-000000000016";
/** A value each field accepts, so that objects often pass validation and the hostile field is what is tested. */
const PLAUSIBLE: Record<string, unknown> = {
  subject: "Printer on fire",
  description: "It is still burning.",
  body: "It is still burning.",
  note: "A note long enough to pass.",
  reason: "A reason long enough to pass.",
  outcome: "Resolved with the customer.",
  title: "Greeting",
  name: "Maya Patel",
  company: "Northwind",
  fullName: "Maya Patel",
  accountOrEmail: "NW-1001",
  phone: "+44 7700 900000",
  number: "+44 7700 900000",
  country: "GB",
  phoneCountry: "GB",
  accountHint: "NW-1001",
  email: "maya@example.com",
  newEmail: "maya@example.com",
  password: "correct horse battery staple 17",
  confirmPassword: "correct horse battery staple 17",
  currentPassword: "correct horse battery staple 16",
  token: "a-link-token",
  code: "123456",
  reference: "SA-10001-C",
  tier: "basic",
  startsOn: "2026-01-01",
  endsOn: "2026-12-31",
  category: "question",
  priority: "normal",
  status: "open",
  kind: "totp",
  role: "agent",
  channel: "phone",
  scope: "basic",
  timeZone: "Europe/London",
  q: "printer",
  from: "2026-01-01",
  to: "2026-01-31",
  after: "12",
  action: "ticket.",
  actor: "maya@example.com",
  channelRef: `email:${uuid}`,
};

const IMPOSSIBLE_DATES = [
  "0000-01-01",
  "2026-02-30",
  "2026-13-01",
  "10000-01-01",
  "1969-12-31",
  "2026-02-30T10:00:00.000Z",
  "0000-01-01T00:00:00.000Z",
  "275760-09-13",
];
const hostileString = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udc00y",
    "😀".slice(0, 1),
    "\u0007",
    "\u001b[31m",
    "\u202e",
    "",
    " ",
    "x".repeat(50_000),
    ...IMPOSSIBLE_DATES,
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
);
const poisoned = (value: unknown) =>
  fc.constantFrom("\u0000", "\ud800", "\udc00", "\u0000\ud83d").map((poison) => (typeof value === "string" ? `${value}${poison}` : poison));
const anyValue = fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(hostileString, { maxLength: 3 }));

function inputFor(keys: string[]): fc.Arbitrary<unknown> {
  if (keys.length === 0) return fc.oneof(hostileString, anyValue);
  const field = (key: string) => {
    const plausible = PLAUSIBLE[key] ?? (/(Id|^id)$/.test(key) ? uuid : "text");
    return fc.oneof(
      { arbitrary: fc.constant(plausible), weight: 3 },
      { arbitrary: hostileString, weight: 2 },
      { arbitrary: poisoned(plausible), weight: 2 },
      { arbitrary: anyValue, weight: 1 },
    );
  };
  return fc.oneof(fc.record(Object.fromEntries(keys.map((key) => [key, field(key)]))), anyValue);
}

/** Every Date in a parsed value is valid and in range; every string storable. */
function storableProblems(value: unknown): string[] {
  const problems = unstorableTextPaths(value).map((path) => `unstorable text at ${path.join(".") || "(root)"}`);
  const walk = (item: unknown, path: string) => {
    if (item instanceof Date) {
      if (!dateInRange(item)) problems.push(`date out of range at ${path}`);
    } else if (Array.isArray(item)) item.forEach((entry, index) => walk(entry, `${path}.${index}`));
    else if (item && typeof item === "object") for (const [key, entry] of Object.entries(item)) walk(entry, `${path}.${key}`);
  };
  walk(value, "");
  return problems;
}

describe("every input schema refuses or cleans hostile input", () => {
  it("finds the schemas", () => {
    expect(schemas.length).toBeGreaterThan(30);
    expect(schemas.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([
        "features/tickets/schemas.ts#newPortalTicketSchema",
        "features/audit/queries.ts#auditFilterSchema",
        "features/tickets/queue/schemas.ts#queueFilterSchema",
      ]),
    );
  });

  it.each(schemas.map((entry) => [entry.name, entry.schema] as const))("%s", (_name, schema) => {
    fc.assert(
      fc.property(inputFor(keysOf(schema)), (input) => {
        const parsed = schema.safeParse(input);
        if (parsed.success) expect(storableProblems(parsed.data)).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("refuses a NUL or a lone surrogate in every free-text field of a valid portal ticket", async () => {
    const { newPortalTicketSchema } = await import("@/features/tickets/schemas");
    const valid = { subject: "Printer on fire", description: "It is still burning.", category: "problem", priority: "high" };
    expect(newPortalTicketSchema.safeParse(valid).success).toBe(true);
    expect(newPortalTicketSchema.safeParse({ ...valid, subject: "Printer\u0000 on fire" }).error?.issues[0]?.message).toMatch(/NUL/);
    // A lone surrogate is replaced, not refused: what the person typed otherwise stays.
    expect(newPortalTicketSchema.parse({ ...valid, description: "Half an emoji: \ud83d" }).description).toBe("Half an emoji: \ufffd");
  });
});

describe("page and route parsers never pass on what PostgreSQL refuses", () => {
  it("queue filter (search box and keyset cursors) and audit filter", async () => {
    const { parseQueueFilter } = await import("@/features/tickets/queue/schemas");
    const { decodeCursor } = await import("@/features/tickets/queue/queue");
    const { parseAuditFilter } = await import("@/features/audit/queries");
    const cursor = fc
      .tuple(
        fc.constantFrom("u", "o", "n", "p"),
        fc.oneof(
          fc.constantFrom(...IMPOSSIBLE_DATES),
          fc.date({ noInvalidDate: false }).map((date) => (Number.isNaN(date.getTime()) ? "x" : date.toISOString())),
        ),
        fc.constant(uuid),
        fc.constant("high"),
      )
      .map((parts) => Buffer.from(JSON.stringify(parts[0] === "p" ? parts : parts.slice(0, 3))).toString("base64url"));
    const params = fc.dictionary(
      fc.constantFrom("q", "after", "before", "status", "sort", "from", "to", "actor", "action", "ip", "subjectId"),
      fc.oneof(hostileString, cursor, fc.array(hostileString, { maxLength: 2 })),
    );
    fc.assert(
      fc.property(params, (record) => {
        const filter = parseQueueFilter(record as Record<string, string | string[]>);
        expect(storableProblems(filter)).toEqual([]);
        for (const sort of ["updated", "oldest", "newest", "priority"] as const) {
          const key = decodeCursor(sort, filter.after);
          if (key) expect(isIsoInstant(key.at)).toBe(true);
        }
        const audit = parseAuditFilter(record as Record<string, string | string[]>);
        if (audit.ok) {
          expect(storableProblems(audit.filter)).toEqual([]);
          for (const day of [audit.filter.from, audit.filter.to]) if (day) expect(isIsoDay(day)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("inbound email: cleaned and taken in, or refused only for no sender or too large", async () => {
    const { prepareInboundEmail, InboundEmailError } = await import("@/features/tickets/inbound/inbound");
    const emailInput = fc.record({
      source: fc.constantFrom("json" as const, "mime" as const, "resend" as const),
      from: fc.record({ address: fc.oneof(fc.constant("jane@example.com"), hostileString), name: fc.option(hostileString) }),
      to: fc.array(fc.oneof(fc.constant("support@veridesk.test"), hostileString), { maxLength: 3 }),
      subject: fc.option(fc.oneof(hostileString, fc.constant(`${"x".repeat(996)}😀 tail`))),
      text: fc.option(hostileString),
      html: fc.option(fc.oneof(hostileString, fc.constant("<p>&#0;&#xD800;\u0000x</p>"))),
      messageId: fc.option(hostileString),
      inReplyTo: fc.option(hostileString),
      references: fc.array(hostileString, { maxLength: 3 }),
      headers: fc.array(fc.tuple(fc.constantFrom("authentication-results", "auto-submitted", "x-fuzz"), hostileString), { maxLength: 3 }),
      attachments: fc.array(
        fc.record({ filename: fc.option(hostileString), contentType: fc.option(hostileString), content: fc.constant(new Uint8Array([0, 1, 2])) }),
        { maxLength: 2 },
      ),
    });
    fc.assert(
      fc.property(emailInput, (input) => {
        try {
          const prepared = prepareInboundEmail(input as Parameters<typeof prepareInboundEmail>[0]);
          expect(storableProblems({ ...prepared, attachments: prepared.attachments.map((attachment) => ({ ...attachment, content: null })) })).toEqual([]);
        } catch (error) {
          expect(error).toBeInstanceOf(InboundEmailError);
          expect((error as { message: string }).message).toMatch(/no valid From address|larger than/);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe("text and date helpers", () => {
  it("truncateText never splits a surrogate pair and respects the bound", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), fc.integer({ min: 1, max: 90 }), (text, max) => {
        const cut = truncateText(text, max);
        expect(cut.length).toBeLessThanOrEqual(Math.max(max, 1));
        expect(isWellFormed(cut)).toBe(true);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("accepts only real days and instants in years 1970..9999", () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        const inRange = date.getUTCFullYear() >= 1970 && date.getUTCFullYear() <= 9999;
        expect(isIsoInstant(iso)).toBe(inRange);
        expect(isIsoDay(iso.slice(0, 10))).toBe(inRange && /^\d{4}-/.test(iso));
      }),
      { seed: SEED, numRuns: 1000 },
    );
    for (const impossible of IMPOSSIBLE_DATES) expect(isIsoDay(impossible) || isIsoInstant(impossible)).toBe(false);
  });
});
