import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { parseCsv } from "@/platform/testing/csv-reader";
import { contactBatches, listContacts } from "@/features/data-quality/report/contacts";
import { CONTACTS_CSV_HEADER, contactsCsvStream, contactsExportFilename } from "@/features/data-quality/report/csv-export";
import { type ContactFilter, contactQueryString, describeContactFilter, parseContactFilter } from "@/features/data-quality/report/schemas";

/**
 * The drill-down behind the report's figures: the filter (one schema for the page and the export),
 * keyset paging, and the CSV export. Rows are this file's own: every list is narrowed to a reason
 * code or a domain only they carry… and where the filter cannot narrow that far, the assertions
 * look only at this file's rows.
 */

const tag = randomUUID().slice(0, 8);
const customerIds: string[] = [];
const at = new Date("2026-11-01T10:00:00Z");
let actorId: string;

const parse = (query: string) => parseContactFilter(new URLSearchParams(query));
const filter = (query: string): ContactFilter => {
  const parsed = parse(query);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.filter;
};
const mine = <T extends { customerName: string }>(rows: T[]) => rows.filter((row) => row.customerName.includes(tag));

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

beforeAll(async () => {
  actorId = (await db.user.create({ data: { email: `dq-report-${tag}@staff.example`, name: "Report reader", role: "supervisor", passwordHash: "x" } })).id;
  // 7 invalid addresses on one customer (for paging), one formula-looking customer name, a merged one.
  const many = await db.customer.create({
    data: {
      accountNumber: `DQC-${tag}-many`,
      name: `Many ${tag}`,
      emails: {
        create: Array.from({ length: 7 }, (_, index) => {
          const address = `bad${index}-${tag}@nowhere-${tag}.example`;
          return {
            address,
            normalized: address,
            isPrimary: index === 0,
            validity: "invalid" as const,
            validityReasons: ["email_domain_not_found"],
            validatedAt: at,
          };
        }),
      },
      phones: {
        create: [
          { e164: "+15550100001", kind: "mobile", validity: "invalid", validityReasons: ["phone_invalid"], validatedAt: at },
          { e164: "+15550100002", kind: "fixed", validity: "doubtful", validityReasons: ["phone_voip"], lineType: "VOIP", validatedAt: at },
        ],
      },
    },
  });
  const formula = await db.customer.create({
    data: {
      accountNumber: `DQC-${tag}-formula`,
      name: `=HYPERLINK("http://evil.example","${tag}")`,
      emails: {
        create: [
          {
            address: `+cmd-${tag}@x.example`,
            normalized: `+cmd-${tag}@x.example`,
            isPrimary: true,
            validity: "doubtful",
            validityReasons: ["email_role_address", "email_likely_typo"],
            validitySuggestion: `@gmail.com`,
            validatedAt: at,
          },
          {
            address: `ok-${tag}@x.example`,
            normalized: `ok-${tag}@x.example`,
            verifiedAt: at,
            validity: "invalid",
            validityReasons: ["email_bouncing"],
            validatedAt: at,
          },
        ],
      },
    },
  });
  const merged = await db.customer.create({
    data: {
      accountNumber: `DQC-${tag}-merged`,
      name: `Merged ${tag}`,
      mergedIntoId: many.id,
      emails: {
        create: [
          {
            address: `m-${tag}@nowhere-${tag}.example`,
            normalized: `m-${tag}@nowhere-${tag}.example`,
            isPrimary: true,
            validity: "invalid",
            validityReasons: ["email_domain_not_found"],
            validatedAt: at,
          },
        ],
      },
    },
  });
  customerIds.push(many.id, formula.id, merged.id);
});

afterAll(async () => {
  await db.customer.updateMany({ where: { id: { in: customerIds } }, data: { mergedIntoId: null } });
  await db.customer.deleteMany({ where: { id: { in: customerIds } } });
  // The audit log is append-only: the export's event and its actor stay (the test database is dropped).
});

describe("the filter", () => {
  it("reads a drill-down link and writes it back", () => {
    const parsed = filter("channel=phone&kind=mobile&validity=invalid&verified=no&reason=phone_invalid");
    expect(parsed).toEqual({ channel: "phone", kind: "mobile", validity: "invalid", verified: "no", reason: "phone_invalid" });
    expect(contactQueryString(parsed)).toBe("?channel=phone&kind=mobile&validity=invalid&verified=no&reason=phone_invalid");
    expect(describeContactFilter(parsed)).toBe("Invalid mobile phone numbers, not verified, reason: Not a valid number for its country");
  });

  it("refuses bad values with a message per field, never an exception", () => {
    expect(parse("")).toEqual({ ok: false, errors: { channel: expect.stringContaining("channel=email") } });
    expect(parse("channel=fax")).toMatchObject({ ok: false, errors: { channel: expect.any(String) } });
    expect(parse("channel=email&validity=great&verified=maybe&reason=nope&after=123")).toEqual({
      ok: false,
      errors: {
        validity: "The verdict is valid, doubtful, invalid or unvalidated.",
        verified: "Verified is yes or no.",
        reason: "Not a reason code.",
        after: "Not a page of this list.",
      },
    });
    expect(parse("channel=email&reason=phone_voip")).toEqual({ ok: false, errors: { reason: "That reason is about phone numbers, not email addresses." } });
    expect(parse("channel=email&kind=mobile&duplicate=yes")).toMatchObject({
      ok: false,
      errors: { kind: "Only phone numbers have a kind.", duplicate: expect.any(String) },
    });
    // Hostile input is just another bad value.
    const hostile = new URLSearchParams({ channel: "email\u0000", reason: "\u0000\ud800", validity: "x".repeat(100_000) });
    expect(parseContactFilter(hostile)).toMatchObject({
      ok: false,
      errors: { channel: expect.any(String), reason: "Not a reason code.", validity: expect.any(String) },
    });
    expect(parse("channel=email&reason=toString")).toMatchObject({ ok: false, errors: { reason: "Not a reason code." } });
  });
});

describe("the list", () => {
  it("selects by channel, verdict, verified and reason, leaving out merged customers", async () => {
    const invalid = mine((await listContacts(filter("channel=email&validity=invalid&verified=no&reason=email_domain_not_found"), 500)).rows);
    expect(invalid.map((row) => row.value)).toEqual(Array.from({ length: 7 }, (_, index) => `bad${index}-${tag}@nowhere-${tag}.example`));
    expect(invalid[0]).toMatchObject({
      customerName: `Many ${tag}`,
      validity: "invalid",
      reasons: ["email_domain_not_found"],
      verifiedAt: null,
      validatedAt: at,
      kind: null,
    });

    const verifiedInvalid = mine(
      (await listContacts(filter("channel=email&validity=invalid&verified=yes"), 500)).rows.map((row) => ({ ...row, customerName: row.customerName })),
    );
    expect(verifiedInvalid.map((row) => row.value)).toEqual([`ok-${tag}@x.example`]);

    const doubtfulPhones = (await listContacts(filter("channel=phone&kind=other&validity=doubtful&reason=phone_voip"), 500)).rows.filter(
      (row) => row.customerId === customerIds[0],
    );
    expect(doubtfulPhones).toMatchObject([{ value: "+15550100002", kind: "fixed", lineType: "VOIP" }]);
    const mobiles = (await listContacts(filter("channel=phone&kind=mobile"), 500)).rows.filter((row) => row.customerId === customerIds[0]);
    expect(mobiles.map((row) => row.value)).toEqual(["+15550100001"]);
    const unvalidated = (await listContacts(filter("channel=email&validity=unvalidated"), 500)).rows.filter((row) => customerIds.includes(row.customerId));
    expect(unvalidated).toEqual([]);
  });

  it("pages by keyset: each contact once, in order, and the last page says so", async () => {
    const query = filter("channel=email&reason=email_domain_not_found");
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await listContacts({ ...query, after }, 3);
      pages++;
      seen.push(...page.rows.filter((row) => row.customerId === customerIds[0]).map((row) => row.value));
      if (!page.nextCursor) break;
      after = page.nextCursor;
      expect(page.rows).toHaveLength(3);
    }
    expect(seen).toEqual(Array.from({ length: 7 }, (_, index) => `bad${index}-${tag}@nowhere-${tag}.example`));
    expect(pages).toBeGreaterThanOrEqual(3);
    // The export reads the same list in batches.
    const batched: string[] = [];
    for await (const batch of contactBatches(query, 2)) batched.push(...batch.filter((row) => row.customerId === customerIds[0]).map((row) => row.value));
    expect(batched).toEqual(seen);
  });
});

describe("the CSV export", () => {
  it("writes a header row and the list, formula cells neutralised, and is audited with its filter", async () => {
    const query = filter("channel=email&validity=doubtful&reason=email_likely_typo&after=00000000-0000-7000-8000-000000000000");
    const text = await readAll(await contactsCsvStream(query, { userId: actorId, role: "supervisor" }, "203.0.113.9"));
    const records = parseCsv(text);
    expect(records[0]).toEqual([...CONTACTS_CSV_HEADER]);
    const row = records.slice(1).find((record) => record[6] === `'+cmd-${tag}@x.example`);
    expect(row).toBeDefined();
    const record = Object.fromEntries(CONTACTS_CSV_HEADER.map((column, index) => [column, row![index]]));
    expect(record).toMatchObject({
      customer_id: customerIds[1],
      account_number: `DQC-${tag}-formula`,
      customer_name: `'=HYPERLINK("http://evil.example","${tag}")`,
      channel: "email",
      value: `'+cmd-${tag}@x.example`,
      verified_at: "",
      validity: "doubtful",
      reasons: "email_role_address email_likely_typo",
      reason_labels: "Role address (info@, sales@…), not a person; Likely a typo of a common provider",
      suggestion: "'@gmail.com",
      validated_at: at.toISOString(),
    });
    // Every row is in the list: the page cursor is not part of an export.
    expect(records.slice(1).every((record) => record[8] === "doubtful" && record[9]!.split(" ").includes("email_likely_typo"))).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);

    const audit = await db.auditEvent.findFirst({ where: { actorUserId: actorId, action: "data_quality.contacts_exported" } });
    expect(audit).toMatchObject({ ip: "203.0.113.9", details: { channel: "email", validity: "doubtful", reason: "email_likely_typo" } });
    expect(contactsExportFilename(query, new Date("2026-12-03T10:00:00Z"))).toBe("veridesk-doubtful-email-2026-12-03.csv");
  });

  it("is only a header when nothing matches", async () => {
    const text = await readAll(
      await contactsCsvStream(
        filter("channel=phone&reason=phone_landline_as_mobile&verified=yes&kind=mobile&validity=valid"),
        { userId: actorId, role: "supervisor" },
        null,
      ),
    );
    expect(parseCsv(text)).toEqual([[...CONTACTS_CSV_HEADER]]);
  });
});
