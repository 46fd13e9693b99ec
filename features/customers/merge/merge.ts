import "server-only";
import type { z } from "zod";
import type { Actor } from "@/platform/auth/sessions";
import { recordAudit } from "@/platform/audit";
import { askOwnersAboutStaffChange, sendStaffChangeTexts } from "@/features/accounts/text-confirmation/pending-changes";
import { db, type Prisma } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { maskEmail, maskPhone } from "@/platform/mask";
import { MERGE_REASON_MIN, mergeCustomersSchema, undoMergeSchema } from "@/features/customers/merge/schemas";
import { emitWebhookEvent } from "@/features/webhooks/events";

/**
 * Merging two customer records (supervisors only). Everything the absorbed record holds moves to
 * the survivor: tickets, addresses (its primary becomes an alias), phones (a number both have is
 * kept once), agreements, portal accounts (User.customerId) and identity checks. The absorbed
 * Customer row stays, marked `mergedIntoId`, hidden from every lookup. The CustomerMerge row's
 * snapshot keeps every row the merge changed as it was, so an undo within MERGE_UNDO_DAYS puts
 * both records back exactly, unless something has since come to depend on the merged state.
 */

export const MERGE_UNDO_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

type Tx = Prisma.TransactionClient;
interface Meta {
  ip?: string | null;
  now?: Date;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  throw new DomainError(parsed.error.issues[0]?.message ?? "Some fields need attention.", "invalid", fieldErrors);
}

function requireSupervisor(actor: Pick<Actor, "role">, doing: string) {
  if (actor.role !== "supervisor" && actor.role !== "admin") throw new DomainError(`Only a supervisor can ${doing}.`, "forbidden");
}

const auditActor = (actor: Actor) => ({ userId: actor.userId, role: actor.role });
/** Times in refusal messages (plain text, no viewer time zone): "2026-12-03 16:40 UTC". */
const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
const label = (customer: { name: string; accountNumber: string }) => `${customer.accountNumber} (${customer.name})`;

// ───────────────────────────── Loading and conflicts ─────────────────────────────

const customerFacts = {
  id: true,
  name: true,
  accountNumber: true,
  organisationId: true,
  mergedIntoId: true,
  erasedAt: true,
  organisation: { select: { name: true } },
  emails: { select: { id: true, address: true, normalized: true, isPrimary: true, verifiedAt: true }, orderBy: { createdAt: "asc" } },
  phones: { select: { id: true, e164: true, kind: true, verifiedAt: true }, orderBy: { createdAt: "asc" } },
} satisfies Prisma.CustomerSelect;
type CustomerFacts = Prisma.CustomerGetPayload<{ select: typeof customerFacts }>;

export type ConflictKind = "duplicate_phone" | "verified_mobiles" | "verified_primary_addresses" | "organisation" | "account_number" | "name";
export interface MergeConflict {
  kind: ConflictKind;
  /** What the supervisor reads, and what the merge will do about it. */
  message: string;
  /** Both records carry verified identities that disagree: the merge needs a written reason and is recorded as an override. */
  needsReason: boolean;
}

/** Every point where the two records disagree or overlap, worded for the survivor/absorbed direction. */
export function mergeConflicts(survivor: CustomerFacts, absorbed: CustomerFacts): MergeConflict[] {
  const conflicts: MergeConflict[] = [];
  const survivorNumbers = new Map(survivor.phones.map((phone) => [phone.e164, phone]));
  for (const phone of absorbed.phones) {
    if (survivorNumbers.has(phone.e164)) {
      conflicts.push({
        kind: "duplicate_phone",
        message: `Both records have ${maskPhone(phone.e164)}: it is kept once, on the survivor${phone.verifiedAt && !survivorNumbers.get(phone.e164)?.verifiedAt ? " (marked verified, as the absorbed record had verified it)" : ""}.`,
        needsReason: false,
      });
    }
  }
  const verifiedMobiles = (customer: CustomerFacts) =>
    new Set(customer.phones.filter((phone) => phone.kind === "mobile" && phone.verifiedAt).map((phone) => phone.e164));
  const survivorMobiles = verifiedMobiles(survivor);
  const absorbedMobiles = verifiedMobiles(absorbed);
  if (survivorMobiles.size > 0 && absorbedMobiles.size > 0 && ![...absorbedMobiles].some((e164) => survivorMobiles.has(e164))) {
    conflicts.push({
      kind: "verified_mobiles",
      message: `Both records have a verified mobile, and they differ (${[...survivorMobiles].map(maskPhone).join(", ")} and ${[...absorbedMobiles].map(maskPhone).join(", ")}): these may be two different people.`,
      needsReason: true,
    });
  }
  const survivorPrimary = survivor.emails.find((email) => email.isPrimary);
  const absorbedPrimary = absorbed.emails.find((email) => email.isPrimary);
  if (survivorPrimary?.verifiedAt && absorbedPrimary?.verifiedAt && survivorPrimary.normalized !== absorbedPrimary.normalized) {
    conflicts.push({
      kind: "verified_primary_addresses",
      message: `Both records have a verified primary address, and they differ (${maskEmail(survivorPrimary.address)} and ${maskEmail(absorbedPrimary.address)}): these may be two different people. The absorbed one becomes an alias.`,
      needsReason: true,
    });
  }
  if (survivor.organisationId && absorbed.organisationId && survivor.organisationId !== absorbed.organisationId) {
    conflicts.push({
      kind: "organisation",
      message: `The records belong to different organisations (${survivor.organisation?.name} and ${absorbed.organisation?.name}): the survivor stays with ${survivor.organisation?.name}.`,
      needsReason: false,
    });
  }
  conflicts.push({
    kind: "account_number",
    message: `Two account numbers: the survivor keeps ${survivor.accountNumber}; ${absorbed.accountNumber} still finds the survivor in the directory.`,
    needsReason: false,
  });
  if (survivor.name.trim().toLowerCase() !== absorbed.name.trim().toLowerCase()) {
    conflicts.push({
      kind: "name",
      message: `The names differ (${survivor.name} and ${absorbed.name}): the survivor keeps ${survivor.name}.`,
      needsReason: false,
    });
  }
  return conflicts;
}

/** Why a record cannot take part in a merge (already merged, erased), or null. */
async function goneReason(
  reader: Tx | typeof db,
  customer: { id: string; name: string; accountNumber: string; mergedIntoId: string | null; erasedAt: Date | null },
) {
  if (customer.erasedAt) return `${label(customer)} was erased at ${utc(customer.erasedAt)}.`;
  if (!customer.mergedIntoId) return null;
  const merge = await reader.customerMerge.findFirst({
    where: { absorbedId: customer.id, undoneAt: null },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true, performedById: true, survivor: { select: { name: true, accountNumber: true } } },
  });
  if (!merge) return `${label(customer)} was already merged into another record.`;
  const by = merge.performedById ? await reader.user.findUnique({ where: { id: merge.performedById }, select: { name: true } }) : null;
  return `${label(customer)} was already merged into ${label(merge.survivor)} by ${by?.name ?? "someone no longer on staff"} at ${utc(merge.createdAt)}.`;
}

// ───────────────────────────── Preview ─────────────────────────────

export interface MergePreview {
  survivor: { id: string; name: string; accountNumber: string; organisation: string | null };
  absorbed: { id: string; name: string; accountNumber: string; organisation: string | null };
  moves: {
    tickets: { id: string; number: number; subject: string; status: string }[];
    emails: { id: string; address: string; wasPrimary: boolean; verified: boolean }[];
    phones: { id: string; number: string; kind: string; verified: boolean; duplicate: boolean }[];
    agreements: { id: string; reference: string; tier: string; endsOn: Date; cancelled: boolean }[];
    accounts: { id: string; email: string }[];
    identityChecks: { id: string; method: string; outcome: string; at: Date }[];
  };
  conflicts: MergeConflict[];
  needsReason: boolean;
  /** Set when the merge cannot happen at all (a record already merged or erased). */
  refusal: string | null;
}

/** What merging `absorbedId` into `survivorId` would move and every conflict; null when either record does not exist. */
export async function mergePreview(survivorId: string, absorbedId: string): Promise<MergePreview | null> {
  if (survivorId === absorbedId) return null;
  const [survivor, absorbed] = await Promise.all([
    db.customer.findUnique({ where: { id: survivorId }, select: customerFacts }),
    db.customer.findUnique({ where: { id: absorbedId }, select: customerFacts }),
  ]);
  if (!survivor || !absorbed) return null;
  const [tickets, agreements, accounts, identityChecks, survivorGone, absorbedGone] = await Promise.all([
    db.ticket.findMany({ where: { customerId: absorbedId }, select: { id: true, number: true, subject: true, status: true }, orderBy: { number: "asc" } }),
    db.supportAgreement.findMany({
      where: { customerId: absorbedId },
      select: { id: true, reference: true, tier: true, endsOn: true, cancelledAt: true },
      orderBy: { endsOn: "asc" },
    }),
    db.user.findMany({ where: { customerId: absorbedId }, select: { id: true, email: true }, orderBy: { createdAt: "asc" } }),
    db.identityCheck.findMany({
      where: { customerId: absorbedId },
      select: { id: true, method: true, outcome: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
    goneReason(db, survivor),
    goneReason(db, absorbed),
  ]);
  const survivorNumbers = new Set(survivor.phones.map((phone) => phone.e164));
  const conflicts = mergeConflicts(survivor, absorbed);
  const summary = (customer: CustomerFacts) => ({
    id: customer.id,
    name: customer.name,
    accountNumber: customer.accountNumber,
    organisation: customer.organisation?.name ?? null,
  });
  return {
    survivor: summary(survivor),
    absorbed: summary(absorbed),
    moves: {
      tickets,
      emails: absorbed.emails.map((email) => ({ id: email.id, address: maskEmail(email.address), wasPrimary: email.isPrimary, verified: !!email.verifiedAt })),
      phones: absorbed.phones.map((phone) => ({
        id: phone.id,
        number: maskPhone(phone.e164),
        kind: phone.kind,
        verified: !!phone.verifiedAt,
        duplicate: survivorNumbers.has(phone.e164),
      })),
      agreements: agreements.map((agreement) => ({
        id: agreement.id,
        reference: agreement.reference,
        tier: agreement.tier,
        endsOn: agreement.endsOn,
        cancelled: !!agreement.cancelledAt,
      })),
      accounts: accounts.map((account) => ({ id: account.id, email: maskEmail(account.email) })),
      identityChecks: identityChecks.map((check) => ({ id: check.id, method: check.method, outcome: check.outcome, at: check.createdAt })),
    },
    conflicts,
    needsReason: conflicts.some((conflict) => conflict.needsReason),
    refusal: survivorGone ?? absorbedGone,
  };
}

// ───────────────────────────── Merge ─────────────────────────────

/** Locks both Customer rows for the rest of the transaction, always in id order (two merges of the same pair cannot deadlock). */
async function lockCustomers(tx: Tx, ids: string[]) {
  const sorted = [...new Set(ids)].sort();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Customer" WHERE "id" = ANY(CAST(${sorted} AS uuid[])) ORDER BY "id" FOR UPDATE`;
  if (rows.length !== sorted.length) throw new DomainError("One of these customers no longer exists.", "not_found");
}

/** User columns kept in the snapshot: the link and what identifies the account, never secrets (password hash, TOTP secret). */
const userSnapshotSelect = { id: true, email: true, name: true, role: true, customerId: true, matchStatus: true, updatedAt: true } as const;

/** JSON of rows as they were (dates as ISO strings). */
type Row = Record<string, unknown> & { id: string };
interface MergeSnapshot {
  version: 1;
  mergedAt: string;
  survivor: Row;
  absorbed: Row;
  /** Survivor columns the merge filled in (from the absorbed record), with the value it set. */
  survivorSet: { organisationId?: string };
  moved: { tickets: Row[]; emails: Row[]; phones: Row[]; agreements: Row[]; users: Row[]; identityChecks: Row[] };
  /** A number both had: the absorbed row (deleted, recreated on undo) and the survivor's row as it was. */
  dedupedPhones: { absorbed: Row; survivor: Row; survivorVerifiedAtSet: string | null }[];
  overrideCheckId: string | null;
}

const toJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/**
 * Merges `absorbedId` into `survivorId` in one transaction. Refuses when either record is already
 * merged or erased (saying into what, by whom, when); two concurrent merges of the same records
 * serialise on the row locks, and the second gets that answer. When verified identities disagree
 * a written reason is required and the merge is recorded as an override.
 */
export async function mergeCustomers(actor: Actor, input: unknown, meta: Meta = {}) {
  requireSupervisor(actor, "merge customers");
  const { survivorId, absorbedId, reason: rawReason } = parse(mergeCustomersSchema, input);
  const reason = rawReason ? rawReason : null;
  const now = meta.now ?? new Date();
  const { merge, askedOwners } = await db.$transaction(async (tx) => {
    await lockCustomers(tx, [survivorId, absorbedId]);
    const survivor = await tx.customer.findUniqueOrThrow({ where: { id: survivorId }, select: customerFacts });
    const absorbed = await tx.customer.findUniqueOrThrow({ where: { id: absorbedId }, select: customerFacts });
    const gone = (await goneReason(tx, absorbed)) ?? (await goneReason(tx, survivor));
    if (gone) throw new DomainError(gone, "conflict");

    const conflicts = mergeConflicts(survivor, absorbed);
    const overrode = conflicts.some((conflict) => conflict.needsReason);
    if (overrode && (!reason || reason.length < MERGE_REASON_MIN)) {
      const message = `Both records have verified identities that disagree: explain why they are the same person (at least ${MERGE_REASON_MIN} characters).`;
      throw new DomainError(message, "invalid", { reason: [message] });
    }

    const [survivorRow, absorbedRow, tickets, emails, phones, agreements, users, identityChecks, survivorPhones] = [
      await tx.customer.findUniqueOrThrow({ where: { id: survivorId } }),
      await tx.customer.findUniqueOrThrow({ where: { id: absorbedId } }),
      await tx.ticket.findMany({ where: { customerId: absorbedId }, orderBy: { id: "asc" } }),
      await tx.customerEmail.findMany({ where: { customerId: absorbedId }, orderBy: { id: "asc" } }),
      await tx.customerPhone.findMany({ where: { customerId: absorbedId }, orderBy: { id: "asc" } }),
      await tx.supportAgreement.findMany({ where: { customerId: absorbedId }, orderBy: { id: "asc" } }),
      await tx.user.findMany({ where: { customerId: absorbedId }, select: userSnapshotSelect, orderBy: { id: "asc" } }),
      await tx.identityCheck.findMany({ where: { customerId: absorbedId }, orderBy: { id: "asc" } }),
      await tx.customerPhone.findMany({ where: { customerId: survivorId } }),
    ];

    const survivorByNumber = new Map(survivorPhones.map((phone) => [phone.e164, phone]));
    const dedupedPhones: MergeSnapshot["dedupedPhones"] = [];
    const movedPhones = phones.filter((phone) => !survivorByNumber.has(phone.e164));
    for (const phone of phones) {
      const kept = survivorByNumber.get(phone.e164);
      if (!kept) continue;
      const verifiedAtSet = phone.verifiedAt && !kept.verifiedAt ? phone.verifiedAt : null;
      dedupedPhones.push({ absorbed: toJson(phone), survivor: toJson(kept), survivorVerifiedAtSet: iso(verifiedAtSet) });
      await tx.customerPhone.delete({ where: { id: phone.id } });
      if (verifiedAtSet) await tx.customerPhone.update({ where: { id: kept.id }, data: { verifiedAt: verifiedAtSet, updatedAt: now } });
    }

    const ids = (rows: { id: string }[]) => ({ id: { in: rows.map((row) => row.id) } });
    await tx.customerPhone.updateMany({ where: ids(movedPhones), data: { customerId: survivorId, updatedAt: now } });
    // The absorbed primary becomes an alias: the survivor keeps its own primary.
    await tx.customerEmail.updateMany({ where: ids(emails), data: { customerId: survivorId, isPrimary: false, updatedAt: now } });
    await tx.supportAgreement.updateMany({ where: ids(agreements), data: { customerId: survivorId, updatedAt: now } });
    await tx.user.updateMany({ where: ids(users), data: { customerId: survivorId, updatedAt: now } });
    await tx.ticket.updateMany({ where: ids(tickets), data: { customerId: survivorId, updatedAt: now } });
    await tx.identityCheck.updateMany({ where: ids(identityChecks), data: { customerId: survivorId } });

    const survivorSet: MergeSnapshot["survivorSet"] = {};
    if (!survivor.organisationId && absorbed.organisationId) survivorSet.organisationId = absorbed.organisationId;
    if (Object.keys(survivorSet).length > 0) await tx.customer.update({ where: { id: survivorId }, data: { ...survivorSet, updatedAt: now } });
    await tx.customer.update({ where: { id: absorbedId }, data: { mergedIntoId: survivorId, updatedAt: now } });

    // Like a supervisor's verification override elsewhere (features/escalations/service.ts): recorded
    // with the reason, outcome "overridden". It expires at once: it verifies no conversation.
    const overrideCheck = overrode
      ? await tx.identityCheck.create({
          data: {
            customerId: survivorId,
            method: "supervisor_override",
            outcome: "overridden",
            reason,
            performedById: actor.userId,
            createdAt: now,
            expiresAt: now,
          },
          select: { id: true },
        })
      : null;

    const snapshot: MergeSnapshot = {
      version: 1,
      mergedAt: now.toISOString(),
      survivor: toJson(survivorRow),
      absorbed: toJson(absorbedRow),
      survivorSet,
      moved: {
        tickets: toJson(tickets),
        emails: toJson(emails),
        phones: toJson(movedPhones),
        agreements: toJson(agreements),
        users: toJson(users),
        identityChecks: toJson(identityChecks),
      },
      dedupedPhones,
      overrideCheckId: overrideCheck?.id ?? null,
    };
    const merge = await tx.customerMerge.create({
      data: {
        survivorId,
        absorbedId,
        snapshot: snapshot as unknown as Prisma.InputJsonObject,
        reason,
        overrode,
        performedById: actor.userId,
        createdAt: now,
        undoableUntil: new Date(now.getTime() + MERGE_UNDO_DAYS * DAY_MS),
      },
      select: { id: true, survivorId: true, absorbedId: true, overrode: true, undoableUntil: true },
    });
    await recordAudit(
      {
        action: "customer.merged",
        actor: auditActor(actor),
        subjectType: "Customer",
        subjectId: survivorId,
        ip: meta.ip ?? null,
        details: { mergeId: merge.id, survivorId, absorbedId, overrode, ...(overrideCheck ? { identityCheckId: overrideCheck.id } : {}) },
      },
      tx,
    );
    await emitWebhookEvent("customer.merged", { mergeId: merge.id, survivorId, absorbedId }, tx);
    // Every portal account now on the survivor hears of it by text and may refuse (features/accounts/text-confirmation/).
    const owners = await tx.user.findMany({ where: { customerId: survivorId, role: "customer" }, select: { id: true } });
    const askedOwners = await askOwnersAboutStaffChange(tx, {
      userIds: owners.map((owner) => owner.id),
      kind: "customer_merge",
      payload: { mergeId: merge.id, survivorId, absorbedId },
      summary: "merged two customer records of yours into one",
      actor: auditActor(actor),
      ip: meta.ip ?? "unknown",
      now,
    });
    return { merge, askedOwners };
  });
  await sendStaffChangeTexts(askedOwners, meta.ip ?? "unknown", now);
  return merge;
}

// ───────────────────────────── Undo ─────────────────────────────

const sameTime = (value: Date | null | undefined, snapshot: unknown) => iso(value) === (snapshot ?? null);

/**
 * Puts both records back as they were before the merge, from the snapshot: every moved row's
 * customer and changed columns (updatedAt too, when nothing touched the row since), the deduped
 * phone recreated, the absorbed record un-marked, the override check the merge wrote removed.
 * Refuses, listing every reason, when something depends on the merged state. Rows created on
 * the survivor after the merge stay with the survivor.
 */
export async function undoMerge(actor: Actor, input: unknown, meta: Meta = {}) {
  requireSupervisor(actor, "undo a merge");
  const { mergeId } = parse(undoMergeSchema, input);
  const now = meta.now ?? new Date();
  return db.$transaction(async (tx) => {
    const found = await tx.customerMerge.findUnique({ where: { id: mergeId }, select: { survivorId: true, absorbedId: true } });
    if (!found) throw new DomainError("That merge does not exist.", "not_found");
    await lockCustomers(tx, [found.survivorId, found.absorbedId]);
    await tx.$queryRaw`SELECT "id" FROM "CustomerMerge" WHERE "id" = CAST(${mergeId} AS uuid) FOR UPDATE`;
    const merge = await tx.customerMerge.findUniqueOrThrow({ where: { id: mergeId } });
    if (merge.undoneAt) {
      const by = merge.undoneById ? await tx.user.findUnique({ where: { id: merge.undoneById }, select: { name: true } }) : null;
      throw new DomainError(`This merge was already undone by ${by?.name ?? "someone no longer on staff"} at ${utc(merge.undoneAt)}.`, "conflict");
    }
    if (now >= merge.undoableUntil)
      throw new DomainError(`This merge can no longer be undone: the ${MERGE_UNDO_DAYS}-day window closed at ${utc(merge.undoableUntil)}.`, "conflict");

    const snap = merge.snapshot as unknown as MergeSnapshot;
    // Erasure replaces the snapshot (it held the person's data): nothing is left to restore.
    if (snap?.version !== 1) throw new DomainError("This merge can no longer be undone: one of the customers was erased since.", "conflict");
    const { survivorId, absorbedId } = merge;
    const mergedAt = snap.mergedAt;
    const problems: string[] = [];

    const survivor = await tx.customer.findUniqueOrThrow({ where: { id: survivorId } });
    const absorbed = await tx.customer.findUniqueOrThrow({ where: { id: absorbedId } });
    if (survivor.erasedAt) problems.push(`The survivor ${label(snap.survivor as never)} was erased at ${utc(survivor.erasedAt)}.`);
    if (survivor.mergedIntoId) problems.push(`The survivor ${label(snap.survivor as never)} was itself merged into another record since.`);
    if (absorbed.mergedIntoId !== survivorId) problems.push(`${label(snap.absorbed as never)} is no longer marked as merged into the survivor.`);
    if (snap.survivorSet.organisationId !== undefined && survivor.organisationId !== snap.survivorSet.organisationId)
      problems.push("The survivor's organisation was changed since the merge.");

    const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
    const idsOf = (rows: Row[]) => rows.map((row) => row.id);
    const emails = byId(await tx.customerEmail.findMany({ where: { id: { in: idsOf(snap.moved.emails) } } }));
    for (const before of snap.moved.emails) {
      const current = emails.get(before.id);
      const name = `The address ${maskEmail(String(before.address))}`;
      if (!current) problems.push(`${name} was removed.`);
      else if (current.customerId !== survivorId) problems.push(`${name} was moved to another customer.`);
      else if (current.normalized !== before.normalized || current.address !== before.address) problems.push(`${name} was changed.`);
      else if (!sameTime(current.verifiedAt, before.verifiedAt)) problems.push(`${name} was verified again.`);
      else if (current.isPrimary) problems.push(`${name} was made the survivor's primary address.`);
    }
    const phones = byId(
      await tx.customerPhone.findMany({ where: { id: { in: [...idsOf(snap.moved.phones), ...snap.dedupedPhones.map((pair) => pair.survivor.id)] } } }),
    );
    for (const before of snap.moved.phones) {
      const current = phones.get(before.id);
      const name = `The number ${maskPhone(String(before.e164))}`;
      if (!current) problems.push(`${name} was removed.`);
      else if (current.customerId !== survivorId) problems.push(`${name} was moved to another customer.`);
      else if (current.e164 !== before.e164 || current.kind !== before.kind) problems.push(`${name} was changed.`);
      else if (!sameTime(current.verifiedAt, before.verifiedAt)) problems.push(`${name} was verified again.`);
    }
    for (const pair of snap.dedupedPhones) {
      const current = phones.get(pair.survivor.id);
      const name = `The number ${maskPhone(String(pair.survivor.e164))} (both records had it)`;
      if (!current) problems.push(`${name} was removed from the survivor.`);
      else if (current.customerId !== survivorId || current.e164 !== pair.survivor.e164) problems.push(`${name} was changed or moved.`);
      else if (!sameTime(current.verifiedAt, pair.survivorVerifiedAtSet ?? pair.survivor.verifiedAt)) problems.push(`${name} was verified again.`);
    }
    const agreements = byId(await tx.supportAgreement.findMany({ where: { id: { in: idsOf(snap.moved.agreements) } } }));
    for (const before of snap.moved.agreements) {
      const current = agreements.get(before.id);
      const name = `Agreement ${before.reference}`;
      if (!current) problems.push(`${name} was removed.`);
      else if (current.customerId !== survivorId) problems.push(`${name} was moved to another holder.`);
      else if (
        current.tier !== before.tier ||
        !sameTime(current.startsOn, before.startsOn) ||
        !sameTime(current.endsOn, before.endsOn) ||
        !sameTime(current.cancelledAt, before.cancelledAt)
      )
        problems.push(`${name} was changed since the merge.`);
    }
    const tickets = byId(
      await tx.ticket.findMany({ where: { id: { in: idsOf(snap.moved.tickets) } }, select: { id: true, customerId: true, updatedAt: true } }),
    );
    for (const before of snap.moved.tickets) {
      const current = tickets.get(before.id);
      if (!current) problems.push(`Ticket #${before.number} was deleted.`);
      else if (current.customerId !== survivorId) problems.push(`Ticket #${before.number} was moved to another customer.`);
    }
    const users = byId(await tx.user.findMany({ where: { id: { in: idsOf(snap.moved.users) } }, select: { id: true, customerId: true, updatedAt: true } }));
    for (const before of snap.moved.users) {
      const current = users.get(before.id);
      const name = `The portal account ${maskEmail(String(before.email))}`;
      if (!current) problems.push(`${name} was deleted.`);
      else if (current.customerId !== survivorId) problems.push(`${name} was linked to another customer.`);
    }
    const checks = byId(await tx.identityCheck.findMany({ where: { id: { in: idsOf(snap.moved.identityChecks) } }, select: { id: true, customerId: true } }));
    for (const before of snap.moved.identityChecks) {
      const current = checks.get(before.id);
      if (!current || current.customerId !== survivorId)
        problems.push(`An identity check from ${utc(new Date(String(before.createdAt)))} was removed or moved.`);
    }
    if (problems.length > 0) {
      throw new DomainError(
        `This merge cannot be undone: ${problems.length === 1 ? "1 thing depends" : `${problems.length} things depend`} on it. ${problems.join(" ")}`,
        "conflict",
        { problems },
      );
    }

    // A row nobody touched since the merge gets its updatedAt back too; a touched one keeps the newer time.
    const restoredTime = (current: Date, before: unknown) => (iso(current) === mergedAt ? { updatedAt: String(before) } : {});
    for (const before of snap.moved.emails) {
      const current = emails.get(before.id)!;
      await tx.customerEmail.update({
        where: { id: before.id },
        data: { customerId: absorbedId, isPrimary: Boolean(before.isPrimary), ...restoredTime(current.updatedAt, before.updatedAt) },
      });
    }
    for (const before of snap.moved.phones) {
      await tx.customerPhone.update({
        where: { id: before.id },
        data: { customerId: absorbedId, ...restoredTime(phones.get(before.id)!.updatedAt, before.updatedAt) },
      });
    }
    for (const pair of snap.dedupedPhones) {
      const row = pair.absorbed;
      await tx.customerPhone.create({
        data: {
          id: row.id,
          customerId: absorbedId,
          e164: String(row.e164),
          kind: row.kind as "mobile" | "fixed" | "other",
          verifiedAt: (row.verifiedAt as string | null) ?? null,
          deliverability: row.deliverability as "unknown" | "delivering" | "bouncing" | "complained",
          createdAt: String(row.createdAt),
          updatedAt: String(row.updatedAt),
        },
      });
      if (pair.survivorVerifiedAtSet) {
        const current = phones.get(pair.survivor.id)!;
        await tx.customerPhone.update({
          where: { id: pair.survivor.id },
          data: { verifiedAt: (pair.survivor.verifiedAt as string | null) ?? null, ...restoredTime(current.updatedAt, pair.survivor.updatedAt) },
        });
      }
    }
    for (const before of snap.moved.agreements) {
      await tx.supportAgreement.update({
        where: { id: before.id },
        data: { customerId: absorbedId, ...restoredTime(agreements.get(before.id)!.updatedAt, before.updatedAt) },
      });
    }
    for (const before of snap.moved.users) {
      await tx.user.update({ where: { id: before.id }, data: { customerId: absorbedId, ...restoredTime(users.get(before.id)!.updatedAt, before.updatedAt) } });
    }
    for (const before of snap.moved.tickets) {
      await tx.ticket.update({
        where: { id: before.id },
        data: { customerId: absorbedId, ...restoredTime(tickets.get(before.id)!.updatedAt, before.updatedAt) },
      });
    }
    await tx.identityCheck.updateMany({ where: { id: { in: idsOf(snap.moved.identityChecks) } }, data: { customerId: absorbedId } });
    if (snap.overrideCheckId) await tx.identityCheck.deleteMany({ where: { id: snap.overrideCheckId } });

    if (Object.keys(snap.survivorSet).length > 0) {
      await tx.customer.update({
        where: { id: survivorId },
        data: {
          ...(snap.survivorSet.organisationId !== undefined ? { organisationId: (snap.survivor.organisationId as string | null) ?? null } : {}),
          ...restoredTime(survivor.updatedAt, snap.survivor.updatedAt),
        },
      });
    }
    await tx.customer.update({ where: { id: absorbedId }, data: { mergedIntoId: null, ...restoredTime(absorbed.updatedAt, snap.absorbed.updatedAt) } });
    const undone = await tx.customerMerge.update({
      where: { id: mergeId },
      data: { undoneAt: now, undoneById: actor.userId },
      select: { id: true, survivorId: true, absorbedId: true, undoneAt: true },
    });
    await recordAudit(
      {
        action: "customer.merge_undone",
        actor: auditActor(actor),
        subjectType: "Customer",
        subjectId: survivorId,
        ip: meta.ip ?? null,
        details: { mergeId, survivorId, absorbedId },
      },
      tx,
    );
    return undone;
  });
}

// ───────────────────────────── History ─────────────────────────────

export interface MergeHistoryEntry {
  id: string;
  /** "survivor": another record was merged into this one; "absorbed": this one was merged into another. */
  role: "survivor" | "absorbed";
  other: { id: string; name: string; accountNumber: string };
  performedBy: string | null;
  at: Date;
  reason: string | null;
  overrode: boolean;
  undoableUntil: Date;
  undoneAt: Date | null;
  undoneBy: string | null;
}

/** The merges this record took part in, newest first (the customer page's "Merges" section). */
export async function mergeHistory(customerId: string): Promise<MergeHistoryEntry[]> {
  const merges = await db.customerMerge.findMany({
    where: { OR: [{ survivorId: customerId }, { absorbedId: customerId }] },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      survivorId: true,
      reason: true,
      overrode: true,
      performedById: true,
      createdAt: true,
      undoableUntil: true,
      undoneAt: true,
      undoneById: true,
      survivor: { select: { id: true, name: true, accountNumber: true } },
      absorbed: { select: { id: true, name: true, accountNumber: true } },
    },
  });
  const staffIds = [...new Set(merges.flatMap((merge) => [merge.performedById, merge.undoneById]).filter((id): id is string => !!id))];
  const names = new Map((await db.user.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true } })).map((user) => [user.id, user.name]));
  return merges.map((merge) => {
    const role = merge.survivorId === customerId ? "survivor" : "absorbed";
    return {
      id: merge.id,
      role,
      other: role === "survivor" ? merge.absorbed : merge.survivor,
      performedBy: merge.performedById ? (names.get(merge.performedById) ?? null) : null,
      at: merge.createdAt,
      reason: merge.reason,
      overrode: merge.overrode,
      undoableUntil: merge.undoableUntil,
      undoneAt: merge.undoneAt,
      undoneBy: merge.undoneById ? (names.get(merge.undoneById) ?? null) : null,
    };
  });
}

/** The record a merged-away customer now lives in (following merges of merges), or the id itself. */
export async function survivorOf(customerId: string): Promise<string> {
  let id = customerId;
  for (let hop = 0; hop < 10; hop += 1) {
    const row = await db.customer.findUnique({ where: { id }, select: { mergedIntoId: true } });
    if (!row?.mergedIntoId) return id;
    id = row.mergedIntoId;
  }
  return id;
}
