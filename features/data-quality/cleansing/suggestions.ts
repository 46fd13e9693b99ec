import "server-only";
import { recordAudit } from "@/platform/audit";
import { db, type Prisma, type Role } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { correctEmail, correctPhone } from "@/features/customers/contacts/contacts";
import { correctEmailSchema } from "@/features/customers/contacts/schemas";
import { MERGE_KINDS, SUGGESTIONS_PER_PAGE, type SuggestionKind } from "@/features/data-quality/cleansing/schemas";

/**
 * Cleansing suggestions: what validation found that a person must decide (CleansingSuggestion).
 *
 *   proposeCleansing(runId?)  turns the stored validity reasons into suggestions, set-based: one open
 *                             suggestion per target (targetKey), and those whose contact changed or
 *                             vanished become obsolete. Run at the end of each validation run and
 *                             from the page's "Look for suggestions".
 *   decideSuggestion(…)       accepts or rejects one; decideSuggestions(…) several.
 *
 * Kinds (targetKey in brackets):
 *  - email_typo [email_typo:<emailId>]: an address flagged email_likely_typo with a proposed fix
 *    (CustomerEmail.validitySuggestion). Accepting corrects it through contact editing's rules
 *    (an address another customer holds is refused naming them). A verified address is not
 *    silently rewritten: it is corrected and becomes unverified, with the reason in the audit
 *    trail, and the customer page offers to verify it again.
 *  - phone_landline_as_mobile [phone_kind:<phoneId>]: a landline in the mobile slot; accepting
 *    changes its kind to "fixed" (its digits, verified or not, stay).
 *  - duplicate_phone [duplicate_phone:<a>:<b>]: one number on two live customers (flagged
 *    phone_duplicate), paired with the earliest other holder.
 *  - duplicate_customer [duplicate_customer:<a>:<b>]: two live customers of one organisation with the
 *    same name (case and spaces aside), each paired with the earliest.
 *    Duplicates are never merged from here: the page links to the merge preview
 *    (features/customers/merge/); once merged, the pair is no longer found and goes obsolete.
 * A rejected suggestion stays rejected while its values stay the same. Values are contact details
 * (personal data): an obsolete suggestion forgets them.
 */

type Actor = { userId: string; role: Role };

export type ProposeResult = { opened: number; obsoleted: number; open: number };

export async function proposeCleansing(runId?: string): Promise<ProposeResult> {
  return db.$transaction(
    async (tx) => {
      // One pass at a time: a validation run's call and a supervisor's click.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('data-quality:propose-cleansing', 0))`;
      await tx.$executeRaw`
        CREATE TEMP TABLE cleansing_found (
          kind text NOT NULL, "customerId" uuid NOT NULL, "emailId" uuid, "phoneId" uuid, "otherCustomerId" uuid,
          "currentValue" text, "proposedValue" text, "targetKey" text NOT NULL
        ) ON COMMIT DROP`;
      await tx.$executeRaw`
        INSERT INTO cleansing_found
        SELECT 'email_typo', e."customerId", e.id, NULL, NULL, e.address, btrim(e."validitySuggestion"), 'email_typo:' || e.id
          FROM "CustomerEmail" e JOIN "Customer" c ON c.id = e."customerId"
         WHERE 'email_likely_typo' = ANY(e."validityReasons") AND e."validitySuggestion" IS NOT NULL
           AND lower(btrim(e."validitySuggestion")) <> e.normalized
           AND c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL`;
      await tx.$executeRaw`
        INSERT INTO cleansing_found
        SELECT 'phone_landline_as_mobile', p."customerId", NULL, p.id, NULL, p.e164, 'fixed', 'phone_kind:' || p.id
          FROM "CustomerPhone" p JOIN "Customer" c ON c.id = p."customerId"
         WHERE 'phone_landline_as_mobile' = ANY(p."validityReasons") AND p.kind = 'mobile'
           -- A verified mobile answered a texted code: it is a mobile, whatever the number plan says.
           AND p."verifiedAt" IS NULL
           AND c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL`;
      // Each flagged holder of a number paired with the earliest other live holder; one row per pair.
      await tx.$executeRaw`
        INSERT INTO cleansing_found
        SELECT DISTINCT ON (key) 'duplicate_phone', least(p."customerId", o."customerId"), NULL, p.id, greatest(p."customerId", o."customerId"),
               NULL, NULL, key
          FROM "CustomerPhone" p
          JOIN "Customer" c ON c.id = p."customerId" AND c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL
          CROSS JOIN LATERAL (
            SELECT q."customerId" FROM "CustomerPhone" q JOIN "Customer" d ON d.id = q."customerId"
             WHERE q.e164 = p.e164 AND q."customerId" <> p."customerId" AND d."mergedIntoId" IS NULL AND d."erasedAt" IS NULL
             ORDER BY q."createdAt", q.id LIMIT 1) o
          CROSS JOIN LATERAL (SELECT 'duplicate_phone:' || least(p."customerId", o."customerId") || ':' || greatest(p."customerId", o."customerId") AS key) k
         WHERE 'phone_duplicate' = ANY(p."validityReasons")
         ORDER BY key, p."createdAt", p.id`;
      await tx.$executeRaw`
        INSERT INTO cleansing_found
        SELECT 'duplicate_customer', g.first_id, NULL, NULL, g.id, NULL, NULL, 'duplicate_customer:' || g.first_id || ':' || g.id
          FROM (SELECT id, first_value(id) OVER (PARTITION BY "organisationId", lower(btrim(name)) ORDER BY "createdAt", id) AS first_id
                  FROM "Customer"
                 WHERE "organisationId" IS NOT NULL AND "mergedIntoId" IS NULL AND "erasedAt" IS NULL) g
         WHERE g.id <> g.first_id`;
      await tx.$executeRaw`CREATE UNIQUE INDEX ON cleansing_found ("targetKey")`;
      await tx.$executeRaw`ANALYZE cleansing_found`;

      // New targets open; an obsolete one, or a decided one whose values changed since, opens again.
      const opened = await tx.$executeRaw`
        INSERT INTO "CleansingSuggestion" AS s (id, kind, "customerId", "emailId", "phoneId", "otherCustomerId", "currentValue", "proposedValue", "targetKey", status, "runId", "createdAt")
        SELECT gen_random_uuid(), f.kind, f."customerId", f."emailId", f."phoneId", f."otherCustomerId", f."currentValue", f."proposedValue", f."targetKey", 'open', ${runId ?? null}::uuid, now()
          FROM cleansing_found f
        ON CONFLICT ("targetKey") DO UPDATE
           SET kind = EXCLUDED.kind, "customerId" = EXCLUDED."customerId", "emailId" = EXCLUDED."emailId", "phoneId" = EXCLUDED."phoneId",
               "otherCustomerId" = EXCLUDED."otherCustomerId", "currentValue" = EXCLUDED."currentValue", "proposedValue" = EXCLUDED."proposedValue",
               status = 'open', "runId" = EXCLUDED."runId", "decidedById" = NULL, "decidedAt" = NULL,
               "createdAt" = CASE WHEN s.status = 'open' THEN s."createdAt" ELSE now() END
         WHERE s.status = 'obsolete'
            OR s."currentValue" IS DISTINCT FROM EXCLUDED."currentValue"
            OR s."proposedValue" IS DISTINCT FROM EXCLUDED."proposedValue"
            OR s."customerId" IS DISTINCT FROM EXCLUDED."customerId"
            OR s."otherCustomerId" IS DISTINCT FROM EXCLUDED."otherCustomerId"`;
      const obsoleted = await tx.$executeRaw`
        UPDATE "CleansingSuggestion" s SET status = 'obsolete', "currentValue" = NULL, "proposedValue" = NULL
         WHERE s.status = 'open' AND NOT EXISTS (SELECT 1 FROM cleansing_found f WHERE f."targetKey" = s."targetKey")`;
      const open = await tx.cleansingSuggestion.count({ where: { status: "open" } });
      return { opened, obsoleted, open };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

// ───────────────────────────── Listing ─────────────────────────────

export type SuggestionRow = {
  id: string;
  kind: SuggestionKind;
  customer: { id: string; name: string; accountNumber: string };
  other: { id: string; name: string; accountNumber: string } | null;
  currentValue: string | null;
  proposedValue: string | null;
  /** The address or number is verified: accepting makes it unverified (email typo). */
  verified: boolean;
  createdAt: Date;
};

export type SuggestionPage = { rows: SuggestionRow[]; total: number; page: number; pages: number; counts: Record<string, number> };

export async function listSuggestions(query: { kind?: SuggestionKind | undefined; page: number }): Promise<SuggestionPage> {
  const where: Prisma.CleansingSuggestionWhereInput = { status: "open", ...(query.kind ? { kind: query.kind } : {}) };
  const [total, grouped] = await Promise.all([
    db.cleansingSuggestion.count({ where }),
    db.cleansingSuggestion.groupBy({ by: ["kind"], where: { status: "open" }, _count: { _all: true } }),
  ]);
  const pages = Math.max(1, Math.ceil(total / SUGGESTIONS_PER_PAGE));
  const page = Math.min(query.page, pages);
  const suggestions = await db.cleansingSuggestion.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    skip: (page - 1) * SUGGESTIONS_PER_PAGE,
    take: SUGGESTIONS_PER_PAGE,
  });
  const customerIds = [...new Set(suggestions.flatMap((row) => [row.customerId, row.otherCustomerId].filter((id): id is string => id !== null)))];
  const emailIds = suggestions.flatMap((row) => (row.emailId ? [row.emailId] : []));
  const phoneIds = suggestions.flatMap((row) => (row.phoneId ? [row.phoneId] : []));
  const [customers, emails, phones] = await Promise.all([
    db.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true, name: true, accountNumber: true } }),
    db.customerEmail.findMany({ where: { id: { in: emailIds } }, select: { id: true, verifiedAt: true } }),
    db.customerPhone.findMany({ where: { id: { in: phoneIds } }, select: { id: true, verifiedAt: true } }),
  ]);
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const verified = new Set([...emails, ...phones].filter((row) => row.verifiedAt).map((row) => row.id));
  const unknown = { name: "(no longer on record)", accountNumber: "–" };
  const rows = suggestions.map((row) => ({
    id: row.id,
    kind: row.kind as SuggestionKind,
    customer: byId.get(row.customerId) ?? { id: row.customerId, ...unknown },
    other: row.otherCustomerId ? (byId.get(row.otherCustomerId) ?? { id: row.otherCustomerId, ...unknown }) : null,
    currentValue: row.currentValue,
    proposedValue: row.proposedValue,
    verified: verified.has(row.emailId ?? row.phoneId ?? ""),
    createdAt: row.createdAt,
  }));
  return { rows, total, page, pages, counts: Object.fromEntries(grouped.map((group) => [group.kind, group._count._all])) };
}

// ───────────────────────────── Deciding ─────────────────────────────

export type DecisionOutcome = { ok: true; message: string; mergeUrl?: string } | { ok: false; message: string };

const STALE = "This suggestion no longer applies: the contact changed since it was made. Look for suggestions again.";

/** Marks an open suggestion decided, inside the change's transaction; a concurrent decision wins and this one rolls back. */
async function markDecided(tx: Prisma.TransactionClient, id: string, status: "accepted" | "rejected" | "obsolete", actor: Actor | null) {
  const { count } = await tx.cleansingSuggestion.updateMany({
    where: { id, status: "open" },
    data: {
      status,
      decidedById: actor?.userId ?? null,
      decidedAt: new Date(),
      ...(status === "obsolete" ? { currentValue: null, proposedValue: null } : {}),
    },
  });
  if (count !== 1) throw new DomainError("Someone else decided this suggestion a moment ago.", "conflict");
}

function auditDecision(
  tx: Prisma.TransactionClient,
  suggestion: { id: string; kind: string; customerId: string },
  decision: string,
  actor: Actor,
  ip: string | null,
) {
  return recordAudit(
    {
      action: `data_quality.suggestion_${decision}`,
      actor,
      subjectType: "customer",
      subjectId: suggestion.customerId,
      ip,
      details: { suggestionId: suggestion.id, kind: suggestion.kind },
    },
    tx,
  );
}

export async function decideSuggestion(
  input: { suggestionId: string; decision: "accept" | "reject" },
  actor: Actor,
  ip: string | null,
  now: Date = new Date(),
): Promise<DecisionOutcome> {
  const suggestion = await db.cleansingSuggestion.findUnique({ where: { id: input.suggestionId } });
  if (!suggestion) throw new DomainError("There is no such suggestion.", "not_found");
  if (suggestion.status !== "open")
    return { ok: false, message: `This suggestion was already ${suggestion.status === "obsolete" ? "withdrawn" : suggestion.status}.` };

  if (input.decision === "reject") {
    await db.$transaction(async (tx) => {
      await markDecided(tx, suggestion.id, "rejected", actor);
      await auditDecision(tx, suggestion, "rejected", actor, ip);
    });
    return { ok: true, message: "Suggestion rejected: it will not be offered again unless the contact changes." };
  }

  const kind = suggestion.kind as SuggestionKind;
  if (MERGE_KINDS.includes(kind)) {
    if (!suggestion.otherCustomerId) throw new DomainError("This suggestion has no second customer.", "invalid");
    // Never merged blind: the merge preview shows what moves, and the merge itself is decided there.
    return {
      ok: true,
      message: "Review the merge preview: nothing is merged until you confirm there.",
      mergeUrl: `/console/customers/${suggestion.customerId}/merge?with=${suggestion.otherCustomerId}`,
    };
  }

  const withdraw = async () => {
    await db.$transaction((tx) => markDecided(tx, suggestion.id, "obsolete", null)).catch(() => undefined);
    return { ok: false as const, message: STALE };
  };

  if (kind === "email_typo") {
    const email = suggestion.emailId
      ? await db.customerEmail.findUnique({ where: { id: suggestion.emailId }, select: { address: true, verifiedAt: true } })
      : null;
    if (!email || email.address !== suggestion.currentValue || !suggestion.proposedValue) return withdraw();
    const parsed = correctEmailSchema.safeParse({ emailId: suggestion.emailId, address: suggestion.proposedValue });
    if (!parsed.success) return withdraw();
    const outcome = await correctEmail(parsed.data, actor, ip, now, {
      unverifyReason: "cleansing.email_typo_fixed",
      afterChange: async (tx) => {
        await markDecided(tx, suggestion.id, "accepted", actor);
        // The verdict was about the old address: the next validation run judges the new one.
        await tx.customerEmail.update({
          where: { id: parsed.data.emailId },
          data: { validity: null, validityReasons: [], validitySuggestion: null, validatedAt: null },
        });
        await auditDecision(tx, suggestion, "accepted", actor, ip);
      },
    });
    if (!outcome.ok) return { ok: false, message: outcome.message };
    return { ok: true, message: email.verifiedAt ? `${outcome.message}` : "Typo fixed: the address is corrected." };
  }

  if (kind === "phone_landline_as_mobile") {
    const phone = suggestion.phoneId
      ? await db.customerPhone.findUnique({ where: { id: suggestion.phoneId }, select: { id: true, e164: true, kind: true } })
      : null;
    if (!phone || phone.e164 !== suggestion.currentValue || phone.kind !== "mobile") return withdraw();
    const outcome = await correctPhone({ phoneId: phone.id, e164: phone.e164, kind: "fixed" }, actor, ip, now, {
      afterChange: async (tx) => {
        await markDecided(tx, suggestion.id, "accepted", actor);
        await tx.$executeRaw`UPDATE "CustomerPhone" SET "validityReasons" = array_remove("validityReasons", 'phone_landline_as_mobile') WHERE id = ${phone.id}::uuid`;
        await auditDecision(tx, suggestion, "accepted", actor, ip);
      },
    });
    if (!outcome.ok) return { ok: false, message: outcome.message };
    return { ok: true, message: "The number is now a landline: it no longer receives verification texts." };
  }
  throw new DomainError("This kind of suggestion cannot be accepted here.", "invalid");
}

export type BulkOutcome = { decided: number; refused: { suggestionId: string; message: string }[]; message: string };

/** Several at once, each in its own transaction (one refusal does not undo the others). Duplicates are only merged from their preview. */
export async function decideSuggestions(
  input: { suggestionIds: string[]; decision: "accept" | "reject" },
  actor: Actor,
  ip: string | null,
): Promise<BulkOutcome> {
  const ids = [...new Set(input.suggestionIds.map((id) => id.toLowerCase()))];
  const found = await db.cleansingSuggestion.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true, emailId: true } });
  const kinds = new Map(found.map((row) => [row.id, row.kind as SuggestionKind]));
  // Accepting a fix to a proven address takes its proof away: one at a time, never in bulk.
  const emailIds = found.map((row) => row.emailId).filter((id): id is string => id !== null);
  const verifiedEmails = new Set(
    (await db.customerEmail.findMany({ where: { id: { in: emailIds }, verifiedAt: { not: null } }, select: { id: true } })).map((row) => row.id),
  );
  const onVerified = new Set(found.filter((row) => row.emailId !== null && verifiedEmails.has(row.emailId)).map((row) => row.id));
  let decided = 0;
  const refused: BulkOutcome["refused"] = [];
  for (const id of ids) {
    const kind = kinds.get(id);
    if (!kind) {
      refused.push({ suggestionId: id, message: "There is no such suggestion." });
      continue;
    }
    if (input.decision === "accept" && MERGE_KINDS.includes(kind)) {
      refused.push({ suggestionId: id, message: "Duplicates are merged one pair at a time from the merge preview." });
      continue;
    }
    if (input.decision === "accept" && onVerified.has(id)) {
      refused.push({ suggestionId: id, message: "Fixes to verified addresses are accepted one at a time: accepting one makes the address unverified." });
      continue;
    }
    try {
      const outcome = await decideSuggestion({ suggestionId: id, decision: input.decision }, actor, ip);
      if (outcome.ok) decided += 1;
      else refused.push({ suggestionId: id, message: outcome.message });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.push({ suggestionId: id, message: error.message });
    }
  }
  const verb = input.decision === "accept" ? "accepted" : "rejected";
  const message =
    refused.length === 0
      ? `${decided} ${decided === 1 ? "suggestion" : "suggestions"} ${verb}.`
      : `${decided} ${verb}; ${refused.length} could not be: ${[...new Set(refused.map((item) => item.message))].join(" ")}`;
  return { decided, refused, message };
}
