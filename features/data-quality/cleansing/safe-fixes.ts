import "server-only";
import type { CountryCode } from "libphonenumber-js/max";
import { recordAudit } from "@/platform/audit";
import { createChangeSet, recordBefore, sealChangeSet, undoChangeSet } from "@/platform/change-sets/change-sets";
import { db, Prisma, type Role } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { DEFAULT_PHONE_REGION } from "@/features/callers/caller-verification";
import { unambiguousE164 } from "@/features/data-quality/cleansing/phone-e164";

/**
 * Safe fixes: changes that never alter what a contact means, applied together as ONE undoable
 * change set (platform/change-sets/, kind "cleansing"):
 *  - an email address with spaces around it or capitals in its domain is tidied ("  Pat@Example.COM "
 *    → "Pat@example.com"); its normalized form (what every lookup uses) is unchanged, so nothing
 *    can collide; the local part keeps its case (some hosts treat it as significant);
 *  - a number stored in national or 00-international form becomes E.164 when there is exactly one
 *    reading of it in the instance's home country (./phone-e164.ts), and the customer does not
 *    already hold that number.
 * A verified address or number is never rewritten: a customer proved that value, so it is left as
 * it is (the agent may still correct it by hand, which asks for a new proof).
 * Everything else is a suggestion a person decides (./suggestions.ts).
 */

export const CHANGE_SET_KIND = "cleansing";
const HOME_REGION = DEFAULT_PHONE_REGION as CountryCode;

type Actor = { userId: string; role: Role };
type Tx = Prisma.TransactionClient;

/** The SQL that tidies one address: trimmed, domain lower-cased, local part as it was. */
const TIDY = Prisma.sql`(substring(btrim(e.address, E' \\t\\r\\n') from '^(.*)@[^@]*$') || '@' || lower(substring(btrim(e.address, E' \\t\\r\\n') from '@([^@]*)$')))`;

/** Addresses a safe fix would tidy: unverified, of a live customer, same meaning after. */
function tidyCandidates(tx: Tx | typeof db) {
  return tx.$queryRaw<{ id: string }[]>`
    SELECT e.id FROM "CustomerEmail" e JOIN "Customer" c ON c.id = e."customerId"
     WHERE e."verifiedAt" IS NULL AND c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL
       AND position('@' in e.address) > 0
       AND ${TIDY} IS DISTINCT FROM e.address
       AND lower(${TIDY}) = e.normalized`;
}

type PhoneFix = { id: string; e164: string };

/** Numbers not in E.164 whose one reading is known, that the customer does not already hold in E.164. */
async function phoneCandidates(tx: Tx | typeof db): Promise<PhoneFix[]> {
  const rows = await tx.$queryRaw<{ id: string; customerId: string; e164: string }[]>`
    SELECT p.id, p."customerId", p.e164 FROM "CustomerPhone" p JOIN "Customer" c ON c.id = p."customerId"
     WHERE p."verifiedAt" IS NULL AND c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL
       AND p.e164 !~ '^\\+[1-9][0-9]{6,14}$'`;
  const fixes = rows.flatMap((row) => {
    const e164 = unambiguousE164(row.e164, HOME_REGION);
    return e164 && e164 !== row.e164 ? [{ ...row, to: e164 }] : [];
  });
  if (fixes.length === 0) return [];
  // A customer who already holds the number (or two of its rows reading the same) is a duplicate, not a safe fix.
  const held = await tx.$queryRaw<{ customerId: string; e164: string }[]>`
    SELECT p."customerId", p.e164 FROM "CustomerPhone" p
      JOIN unnest(${fixes.map((fix) => fix.customerId)}::uuid[], ${fixes.map((fix) => fix.to)}::text[]) AS f("customerId", e164)
        ON f."customerId" = p."customerId" AND f.e164 = p.e164`;
  const taken = new Set(held.map((row) => `${row.customerId} ${row.e164}`));
  const result: PhoneFix[] = [];
  for (const fix of fixes) {
    const key = `${fix.customerId} ${fix.to}`;
    if (taken.has(key)) continue;
    taken.add(key);
    result.push({ id: fix.id, e164: fix.to });
  }
  return result;
}

export type SafeFixPlan = { emails: number; phones: number };

/** How many rows "Apply safe fixes" would change now (for the page). */
export async function planSafeFixes(): Promise<SafeFixPlan> {
  const [emails, phones] = await Promise.all([tidyCandidates(db), phoneCandidates(db)]);
  return { emails: emails.length, phones: phones.length };
}

export type SafeFixResult = { changeSetId: string | null; emails: number; phones: number; message: string };

/**
 * Applies every safe fix in one transaction and one change set; undone as a whole with
 * undoSafeFixes. Set-based (one UPDATE per table), bounded by the data: 100,000 contacts take seconds.
 */
export async function applySafeFixes(actor: Actor, ip: string | null = null): Promise<SafeFixResult> {
  return db.$transaction(
    async (tx) => {
      // One pass at a time: two supervisors' clicks must not both record "before" states.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('data-quality:safe-fixes', 0))`;
      const emailIds = (await tidyCandidates(tx)).map((row) => row.id);
      const phones = await phoneCandidates(tx);
      if (emailIds.length === 0 && phones.length === 0) {
        return { changeSetId: null, emails: 0, phones: 0, message: "Nothing to fix: every address and number is already tidy." };
      }
      const summary = `Safe fixes: ${emailIds.length.toLocaleString("en")} ${emailIds.length === 1 ? "address" : "addresses"} tidied, ${phones.length.toLocaleString("en")} ${phones.length === 1 ? "number" : "numbers"} put in international form`;
      const changeSetId = await createChangeSet(tx, { kind: CHANGE_SET_KIND, summary, createdById: actor.userId });
      await recordBefore(tx, changeSetId, "CustomerEmail", emailIds);
      await recordBefore(
        tx,
        changeSetId,
        "CustomerPhone",
        phones.map((phone) => phone.id),
      );
      if (emailIds.length > 0) {
        await tx.$executeRaw`
          UPDATE "CustomerEmail" e
             SET address = ${TIDY}, "validityReasons" = array_remove(e."validityReasons", 'email_needs_tidying'), "updatedAt" = now()
           WHERE e.id = ANY(${emailIds}::uuid[])`;
      }
      if (phones.length > 0) {
        await tx.$executeRaw`
          UPDATE "CustomerPhone" p
             SET e164 = f.e164, "validityReasons" = array_remove(p."validityReasons", 'phone_not_e164'), "updatedAt" = now()
            FROM unnest(${phones.map((phone) => phone.id)}::uuid[], ${phones.map((phone) => phone.e164)}::text[]) AS f(id, e164)
           WHERE p.id = f.id`;
      }
      await sealChangeSet(tx, changeSetId);
      await recordAudit(
        {
          action: "data_quality.safe_fixes_applied",
          actor,
          subjectType: "ChangeSet",
          subjectId: changeSetId,
          ip,
          details: { emails: emailIds.length, phones: phones.length },
        },
        tx,
      );
      return { changeSetId, emails: emailIds.length, phones: phones.length, message: `${summary}. Undo them from this page if they are not wanted.` };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

/** Puts back a safe-fix change set; rows edited since are reported, not overwritten. */
export async function undoSafeFixes(changeSetId: string, actor: Actor, ip: string | null = null): Promise<{ message: string }> {
  const set = await db.changeSet.findUnique({ where: { id: changeSetId }, select: { kind: true } });
  if (!set || set.kind !== CHANGE_SET_KIND) throw new DomainError("There is no such set of safe fixes.", "not_found");
  const result = await undoChangeSet(changeSetId, actor.userId);
  if (!result.ok) throw new DomainError(result.message, "conflict");
  await recordAudit({
    action: "data_quality.safe_fixes_undone",
    actor,
    subjectType: "ChangeSet",
    subjectId: changeSetId,
    ip,
    details: { restored: result.restored, conflicts: result.conflicts.length },
  });
  const kept = result.conflicts.length;
  return {
    message:
      kept === 0
        ? "Safe fixes undone: every address and number is back as it was."
        : `Safe fixes undone, except ${kept} ${kept === 1 ? "row" : "rows"} changed since, which ${kept === 1 ? "was" : "were"} left as ${kept === 1 ? "it is" : "they are"}.`,
  };
}

export type SafeFixHistoryRow = { id: string; summary: string; createdAt: Date; undoneAt: Date | null; conflicts: number };

export async function safeFixHistory(take = 5): Promise<SafeFixHistoryRow[]> {
  const sets = await db.changeSet.findMany({
    where: { kind: CHANGE_SET_KIND },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, summary: true, createdAt: true, undoneAt: true, undoReport: true },
  });
  return sets.map((set) => ({
    id: set.id,
    summary: set.summary,
    createdAt: set.createdAt,
    undoneAt: set.undoneAt,
    conflicts: Array.isArray(set.undoReport) ? set.undoReport.length : 0,
  }));
}
