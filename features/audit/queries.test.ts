import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/platform/audit";
import { auditCsvStream, auditExportFilename } from "@/features/audit/csv-export";
import { type AuditFilter, auditEventBatches, auditQueryString, latestAuditEventId, listAuditEvents, parseAuditFilter } from "@/features/audit/queries";
import { db } from "@/platform/db/client";

/**
 * The audit log reader on the real database. Every event here uses this run's own action domain
 * and IP, so rows other test files write cannot change the counts.
 */

const tag = `t${randomUUID().slice(0, 8)}`;
const ip = `10.${Math.floor(Math.random() * 200)}.7.7`;
let supervisor: { id: string; email: string; role: "supervisor" };
let agent: { id: string; email: string; role: "agent" };

const filter = (input: Record<string, string>): AuditFilter => {
  const parsed = parseAuditFilter(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.filter;
};
const actionsOf = (rows: { action: string }[]) => rows.map((row) => row.action);

beforeAll(async () => {
  const s = await db.user.create({ data: { email: `sup-${tag}@staff.test`, name: `Sup ${tag}`, role: "supervisor" } });
  const a = await db.user.create({ data: { email: `agent-${tag}@staff.test`, name: `Agent ${tag}`, role: "agent" } });
  supervisor = { id: s.id, email: s.email, role: "supervisor" };
  agent = { id: a.id, email: a.email, role: "agent" };
  // Oldest first: ids grow with time, as in the real log.
  const events = [
    { action: `${tag}.sign_in_failed`, actor: null, subjectType: "User", subjectId: a.id, details: { reason: "wrong_password" } },
    { action: `${tag}.code_sent`, actor: a, subjectType: "Customer", subjectId: "cust-1", details: { channel: "sms", to: "+44 •••• •••058" } },
    { action: `${tag}.code_failed`, actor: a, subjectType: "Customer", subjectId: "cust-1", details: { note: '=HYPERLINK("x"), <b>bold</b>' } },
    { action: `${tag}x.other`, actor: s, subjectType: "Ticket", subjectId: "t-9", details: undefined },
    { action: `${tag}.sign_in_failed`, actor: null, subjectType: null, subjectId: null, details: { reason: "unknown_account" } },
  ];
  for (const event of events) {
    await recordAudit({
      action: event.action,
      actor: event.actor ? { userId: event.actor.id, role: event.actor.role } : null,
      subjectType: event.subjectType ?? undefined,
      subjectId: event.subjectId ?? undefined,
      ip,
      details: event.details,
    });
  }
});

afterAll(async () => {
  // Audit rows are append-only (a trigger refuses DELETE); the users may go.
  await db.user.deleteMany({ where: { id: { in: [supervisor.id, agent.id] } } });
});

describe("parseAuditFilter", () => {
  it("accepts empty fields as 'any' and trims", () => {
    expect(parseAuditFilter({ action: "  ", actor: "", from: "", after: "" })).toEqual({
      ok: true,
      filter: {
        action: undefined,
        actor: undefined,
        subjectType: undefined,
        subjectId: undefined,
        from: undefined,
        to: undefined,
        ip: undefined,
        after: undefined,
      },
    });
    expect(parseAuditFilter({ action: " identity. " })).toMatchObject({ ok: true, filter: { action: "identity." } });
  });

  it("refuses bad dates, a reversed range, odd actions and forged cursors, per field", () => {
    expect(parseAuditFilter({ from: "2026-13-45" })).toMatchObject({ ok: false, errors: { from: "Enter a real date as YYYY-MM-DD (years 1970 to 9999)." } });
    // Impossible or out-of-range days reached PostgreSQL and answered 500 (issue 16).
    for (const day of ["0000-01-01", "2026-02-30", "1969-12-31"])
      expect(parseAuditFilter({ from: day })).toMatchObject({ ok: false, errors: { from: expect.stringContaining("real date") } });
    expect(parseAuditFilter({ actor: "a\u0000b" })).toMatchObject({ ok: false, errors: { actor: expect.stringContaining("NUL") } });
    expect(parseAuditFilter({ from: "2026-03-05", to: "2026-03-01" })).toMatchObject({ ok: false, errors: { to: "The end date is before the start date." } });
    expect(parseAuditFilter({ action: "x'; drop table" })).toMatchObject({ ok: false, errors: { action: expect.stringContaining("Letters") } });
    expect(parseAuditFilter({ after: "-1" })).toMatchObject({ ok: false, errors: { after: "Not a page of this log." } });
  });

  it("reads the first value of repeated params and URLSearchParams alike", () => {
    expect(parseAuditFilter({ ip: ["1.2.3.4", "5.6.7.8"] })).toMatchObject({ ok: true, filter: { ip: "1.2.3.4" } });
    expect(parseAuditFilter(new URLSearchParams("ip=1.2.3.4&action=auth."))).toMatchObject({ ok: true, filter: { ip: "1.2.3.4", action: "auth." } });
  });

  it("writes a query string without empty fields", () => {
    expect(auditQueryString({ action: "auth.", ip: undefined }, { after: "42" })).toBe("?action=auth.&after=42");
    expect(auditQueryString({})).toBe("");
  });
});

describe("listAuditEvents", () => {
  it("filters by exact action, newest first, with the people named", async () => {
    const page = await listAuditEvents(filter({ action: `${tag}.sign_in_failed` }));
    expect(page.rows).toHaveLength(2);
    expect(page.rows.map((row) => row.details)).toEqual([{ reason: "unknown_account" }, { reason: "wrong_password" }]);
    expect(page.rows[1]!.subjectUser).toEqual({ id: agent.id, name: `Agent ${tag}`, email: agent.email });
    expect(page.nextCursor).toBeNull();
  });

  it("filters by action prefix (a trailing dot) without matching a longer domain name", async () => {
    const page = await listAuditEvents(filter({ action: `${tag}.` }));
    expect(actionsOf(page.rows)).toEqual([`${tag}.sign_in_failed`, `${tag}.code_failed`, `${tag}.code_sent`, `${tag}.sign_in_failed`]);
  });

  it("filters by actor email (any case) or id, and an unknown email matches nothing", async () => {
    const byEmail = await listAuditEvents(filter({ actor: agent.email.toUpperCase(), ip }));
    expect(actionsOf(byEmail.rows)).toEqual([`${tag}.code_failed`, `${tag}.code_sent`]);
    expect(byEmail.rows[0]!.actor).toEqual({ id: agent.id, name: `Agent ${tag}`, email: agent.email });
    expect(byEmail.rows[0]!.actorRole).toBe("agent");
    const byId = await listAuditEvents(filter({ actor: supervisor.id, ip }));
    expect(actionsOf(byId.rows)).toEqual([`${tag}x.other`]);
    expect((await listAuditEvents(filter({ actor: `nobody-${tag}@staff.test` }))).rows).toEqual([]);
  });

  it("filters by subject type and id and by IP", async () => {
    expect(actionsOf((await listAuditEvents(filter({ subjectType: "Customer", subjectId: "cust-1", ip }))).rows)).toEqual([
      `${tag}.code_failed`,
      `${tag}.code_sent`,
    ]);
    expect((await listAuditEvents(filter({ ip }))).rows).toHaveLength(5);
    expect((await listAuditEvents(filter({ ip: `${ip}9` }))).rows).toHaveLength(0);
  });

  it("filters by UTC day range, both days included", async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect((await listAuditEvents(filter({ ip, from: today, to: today }))).rows).toHaveLength(5);
    expect((await listAuditEvents(filter({ ip, to: "2020-01-01" }))).rows).toHaveLength(0);
    expect((await listAuditEvents(filter({ ip, from: "2999-01-01" }))).rows).toHaveLength(0);
  });

  it("pages by id with a keyset cursor: no row twice, none missed, even when new events arrive", async () => {
    const first = await listAuditEvents(filter({ ip }), 2);
    expect(actionsOf(first.rows)).toEqual([`${tag}.sign_in_failed`, `${tag}x.other`]);
    expect(first.nextCursor).toBe(first.rows[1]!.id.toString());
    // A new event between two page loads does not shift the next page.
    await recordAudit({ action: `${tag}.late`, ip });
    const second = await listAuditEvents(filter({ ip, after: first.nextCursor! }), 2);
    expect(actionsOf(second.rows)).toEqual([`${tag}.code_failed`, `${tag}.code_sent`]);
    const third = await listAuditEvents(filter({ ip, after: second.nextCursor! }), 2);
    expect(actionsOf(third.rows)).toEqual([`${tag}.sign_in_failed`]);
    expect(third.nextCursor).toBeNull();
  });
});

describe("CSV export", () => {
  async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
    return new Response(stream).text();
  }

  it("reads in batches up to a snapshot id", async () => {
    const upTo = await latestAuditEventId();
    await recordAudit({ action: `${tag}.after_snapshot`, ip });
    const batches: string[][] = [];
    for await (const batch of auditEventBatches(filter({ ip }), upTo, 2)) batches.push(actionsOf(batch));
    expect(batches).toEqual([
      [`${tag}.late`, `${tag}.sign_in_failed`],
      [`${tag}x.other`, `${tag}.code_failed`],
      [`${tag}.code_sent`, `${tag}.sign_in_failed`],
    ]);
  });

  it("streams the header and the filtered rows, escaped, and records the export with its filter", async () => {
    const text = await read(await auditCsvStream(filter({ ip, action: `${tag}.code_*` }), { userId: supervisor.id, role: "supervisor" }, "127.0.0.9"));
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("id,time_utc,action,actor_email,actor_name,actor_role,actor_id,subject_type,subject_id,ip,details");
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the last CRLF
    expect(lines[1]).toContain(`,${tag}.code_failed,${agent.email},Agent ${tag},agent,${agent.id},Customer,cust-1,${ip},`);
    // JSON details are one quoted field; a formula inside JSON does not start the cell, so it stays as is.
    expect(lines[1]).toMatch(/,"\{""note"":""=HYPERLINK\(\\""x\\""\), <b>bold<\/b>""\}"$/);
    expect(lines[2]).toContain(`,${tag}.code_sent,`);
    expect(lines[3]).toBe("");

    const [recorded] = await db.auditEvent.findMany({ where: { action: "audit.exported", actorUserId: supervisor.id }, orderBy: { id: "desc" }, take: 1 });
    expect(recorded).toMatchObject({ actorRole: "supervisor", ip: "127.0.0.9", subjectType: "AuditLog", details: { filter: { ip, action: `${tag}.code_*` } } });
  });

  it("an export whose actor filter names nobody has just the header", async () => {
    const text = await read(await auditCsvStream(filter({ actor: `nobody-${tag}@x.test` }), { userId: supervisor.id, role: "supervisor" }, null));
    expect(text).toBe("id,time_utc,action,actor_email,actor_name,actor_role,actor_id,subject_type,subject_id,ip,details\r\n");
  });

  it("names the file by the UTC day", () => {
    expect(auditExportFilename(new Date(Date.UTC(2026, 10, 29, 23, 59)))).toBe("veridesk-audit-2026-11-29.csv");
  });
});
