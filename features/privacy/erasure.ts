import "server-only";
import { recordAudit } from "@/platform/audit";
import type { Actor } from "@/platform/auth/sessions";
import { db, type Prisma } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { fileStore } from "@/platform/storage";
import type { ErasureCounts } from "@/features/privacy/erasure-types";
import { ERASED_CUSTOMER_NAME, ERASED_TEXT, erasedAccountNumber } from "@/features/privacy/labels";

/**
 * Erasing a customer (GDPR Art. 17), in one transaction with the customer row locked:
 *
 * - the Customer row stays as a PII-free tombstone (erasedAt, "Erased customer", a tombstone
 *   account number, no organisation), so tickets, agreements and reports still add up;
 * - its emails and phones are deleted; its portal accounts are deleted (their sessions, recovery
 *   codes, codes and preferences go with them by cascade, so every session ends at once);
 * - its tickets keep their numbers, dates and statuses, but subjects, requester fields and every
 *   message body (internal notes too) are redacted and every attachment is deleted, bytes included;
 * - anything else that held the person's address, number, name or words is deleted or redacted:
 *   outbox and dev-mailbox messages, inbound emails, verification challenges, notifications,
 *   rate-limit keys, presence, escalation notes, merge snapshots;
 * - identity checks stay (reason nulled): reports still count methods and outcomes by date.
 *
 * A record merged into another is refused: its data went to the survivor, which is what to erase.
 * Records merged into this one are erased with it. The audit log never holds personal data
 * (ids only), so it needs no change; the erasure itself is audited with ids and counts.
 */

export type { ErasureCounts };
export type ErasureResult = { customerId: string; counts: ErasureCounts };

type LockedCustomer = { id: string; name: string; mergedIntoId: string | null; erasedAt: Date | null };

/** Every record merged (directly or through another) into `customerId`, with it first. */
async function mergedFamily(tx: Prisma.TransactionClient, customerId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE family(id) AS (
      SELECT ${customerId}::uuid
      UNION
      SELECT c.id FROM "Customer" c JOIN family f ON c."mergedIntoId" = f.id
    )
    SELECT id::text AS id FROM family`;
  return [customerId, ...rows.map((row) => row.id).filter((id) => id !== customerId)];
}

const like = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function eraseCustomer(
  actor: Pick<Actor, "userId" | "role">,
  input: { customerId: string; confirmName: string },
  ip: string | null = null,
): Promise<ErasureResult> {
  return db.$transaction(
    async (tx) => {
      const [customer] = await tx.$queryRaw<LockedCustomer[]>`
        SELECT id::text AS id, name, "mergedIntoId"::text AS "mergedIntoId", "erasedAt"
        FROM "Customer" WHERE id = ${input.customerId}::uuid FOR UPDATE`;
      if (!customer) throw new DomainError("There is no such customer.", "not_found");
      if (customer.erasedAt) {
        throw new DomainError(
          `This customer was already erased on ${customer.erasedAt.toISOString().slice(0, 10)}. There is nothing left to erase.`,
          "conflict",
        );
      }
      if (customer.mergedIntoId) {
        throw new DomainError(
          "This record was merged into another customer, which now holds its addresses, phones and tickets. Erase that customer (the survivor) instead: it erases this record too.",
          "conflict",
        );
      }
      if (input.confirmName.trim() !== customer.name.trim()) {
        throw new DomainError("The name you typed is not the customer's name. Type it exactly as shown to confirm.", "invalid", {
          confirmName: ["Type the customer's name exactly as shown."],
        });
      }

      const customerIds = await mergedFamily(tx, customer.id);
      const [customers, emails, phones, users] = await Promise.all([
        tx.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true, name: true } }),
        tx.customerEmail.findMany({ where: { customerId: { in: customerIds } }, select: { address: true, normalized: true } }),
        tx.customerPhone.findMany({ where: { customerId: { in: customerIds } }, select: { e164: true } }),
        tx.user.findMany({ where: { customerId: { in: customerIds }, role: "customer" }, select: { id: true, email: true, name: true, phoneE164: true } }),
      ]);
      const userIds = users.map((user) => user.id);
      // An address or number a change was asked for lives only in its PendingChange (and the codes sent to it).
      const asked = (await tx.pendingChange.findMany({ where: { userId: { in: userIds } }, select: { payload: true } })).map(
        (change) => (change.payload ?? {}) as { email?: unknown; e164?: unknown },
      );
      const askedEmails = asked.flatMap((payload) => (typeof payload.email === "string" ? [payload.email] : []));
      const askedNumbers = asked.flatMap((payload) => (typeof payload.e164 === "string" ? [payload.e164] : []));
      const addresses = [
        ...new Set([...emails.flatMap((e) => [e.address, e.normalized]), ...users.map((u) => u.email), ...askedEmails].map((a) => a.toLowerCase())),
      ];
      const numbers = [...new Set([...phones.map((p) => p.e164), ...users.flatMap((u) => (u.phoneE164 ? [u.phoneE164] : [])), ...askedNumbers])];
      const contacts = [...addresses, ...numbers];
      const contactPatterns = contacts.map(like);

      const tickets = await tx.ticket.findMany({
        where: {
          OR: [
            { customerId: { in: customerIds } },
            ...(userIds.length ? [{ requesterUserId: { in: userIds } }] : []),
            ...contacts.map((contact) => ({ requesterAddress: { equals: contact, mode: "insensitive" as const } })),
          ],
        },
        select: { id: true },
      });
      const ticketIds = tickets.map((t) => t.id);

      // Attachments: rows and stored bytes (of the tickets' messages and the accounts' pending uploads).
      const attachments = await tx.ticketAttachment.findMany({
        where: { OR: [{ message: { ticketId: { in: ticketIds } } }, ...(userIds.length ? [{ uploaderUserId: { in: userIds } }] : [])] },
        select: { id: true, storageKey: true },
      });
      const storageKeys = attachments.flatMap((a) => (a.storageKey ? [a.storageKey] : []));
      if (storageKeys.length) await fileStore().delete(storageKeys, tx);
      await tx.ticketAttachment.deleteMany({ where: { id: { in: attachments.map((a) => a.id) } } });

      // Outgoing mail and texts: to the person's contacts, or carrying a message of their tickets.
      const messageOutbox = await tx.ticketMessage.findMany({
        where: { ticketId: { in: ticketIds }, outboxMessageId: { not: null } },
        select: { outboxMessageId: true },
      });
      // Also staff emails that quote them ("Quinn Ray replied to VD-1042"): a message naming their
      // address, number or full name. Only a full name (two words or more) counts ("Maria" alone
      // would take every email agent Maria signed). Sent or failed ones go; one still waiting to go
      // to someone else is sent, but with its text replaced (it is that person's mail).
      const mentions = [...contacts, ...[...customers.map((c) => c.name), ...users.map((u) => u.name)].filter((name) => /\S\s+\S/.test(name.trim()))]
        .filter((text) => text.trim().length >= 5)
        .map((text) => like(text.trim()));
      const mentioning = mentions.length
        ? await tx.$queryRaw<{ id: string }[]>`
            SELECT id::text AS id FROM "OutboxMessage"
            WHERE "status" IN ('sent', 'failed')
              AND ("subject" ILIKE ANY(${mentions}::text[]) OR "textBody" ILIKE ANY(${mentions}::text[]) OR "htmlBody" ILIKE ANY(${mentions}::text[]))`
        : [];
      if (mentions.length)
        await tx.$executeRaw`
          UPDATE "OutboxMessage" SET
            "subject" = CASE WHEN "subject" ILIKE ANY(${mentions}::text[]) THEN ${ERASED_TEXT} ELSE "subject" END,
            "textBody" = CASE WHEN "textBody" ILIKE ANY(${mentions}::text[]) THEN ${ERASED_TEXT} ELSE "textBody" END,
            "htmlBody" = CASE WHEN "htmlBody" ILIKE ANY(${mentions}::text[]) THEN ${`<p>${ERASED_TEXT}</p>`} ELSE "htmlBody" END
          WHERE "status" IN ('queued', 'sending')
            AND ("subject" ILIKE ANY(${mentions}::text[]) OR "textBody" ILIKE ANY(${mentions}::text[]) OR "htmlBody" ILIKE ANY(${mentions}::text[]))`;
      const outbox = await tx.outboxMessage.findMany({
        where: {
          OR: [
            { id: { in: [...messageOutbox.flatMap((m) => (m.outboxMessageId ? [m.outboxMessageId] : [])), ...mentioning.map((m) => m.id)] } },
            ...contacts.map((contact) => ({ recipient: { equals: contact, mode: "insensitive" as const } })),
          ],
        },
        select: { id: true },
      });
      const devMentioning = mentions.length
        ? await tx.$executeRaw`
            DELETE FROM "DevMailboxMessage"
            WHERE "subject" ILIKE ANY(${mentions}::text[]) OR "textBody" ILIKE ANY(${mentions}::text[]) OR "htmlBody" ILIKE ANY(${mentions}::text[])`
        : 0;
      const outboxIds = outbox.map((o) => o.id);
      const devMailbox = await tx.devMailboxMessage.deleteMany({
        where: {
          OR: [{ outboxMessageId: { in: outboxIds } }, ...contacts.map((contact) => ({ recipient: { equals: contact, mode: "insensitive" as const } }))],
        },
      });
      const outboxDeleted = await tx.outboxMessage.deleteMany({ where: { id: { in: outboxIds } } });

      const inbound = await tx.inboundEmail.deleteMany({
        where: {
          OR: [
            { customerId: { in: customerIds } },
            { ticketId: { in: ticketIds } },
            ...addresses.map((address) => ({ fromAddress: { equals: address, mode: "insensitive" as const } })),
          ],
        },
      });

      // Texts they sent us and their STOP: the number is leaving every record, so its opt-out goes too.
      const inboundTexts = numbers.length ? await tx.inboundSms.deleteMany({ where: { fromE164: { in: numbers } } }) : { count: 0 };
      if (numbers.length) await tx.smsOptOut.deleteMany({ where: { e164: { in: numbers } } });

      const messages = await tx.ticketMessage.updateMany({
        where: { ticketId: { in: ticketIds } },
        data: { body: ERASED_TEXT, authorAddress: null, deliveryDetail: null, emailMessageId: null },
      });
      await tx.ticket.updateMany({
        where: { id: { in: ticketIds } },
        data: { subject: ERASED_TEXT, requesterAddress: null, requesterName: null, category: null, idempotencyKey: null },
      });
      // Satisfaction surveys keep their rating (an anonymous figure of the report), not who was asked nor what they wrote.
      await tx.satisfactionSurvey.updateMany({ where: { ticketId: { in: ticketIds } }, data: { sentTo: ERASED_TEXT, requesterUserId: null, comment: null } });
      // A survey not yet answered closes: its link must not let whoever holds it write about the person again.
      await tx.satisfactionSurvey.updateMany({
        where: { ticketId: { in: ticketIds }, rating: null, expiresAt: { gt: new Date() } },
        data: { expiresAt: new Date() },
      });
      if (addresses.length) await tx.surveyOptOut.deleteMany({ where: { address: { in: addresses } } });
      await tx.escalation.updateMany({ where: { ticketId: { in: ticketIds } }, data: { note: ERASED_TEXT } });
      await tx.escalation.updateMany({ where: { ticketId: { in: ticketIds }, outcome: { not: null } }, data: { outcome: ERASED_TEXT } });
      const notifications = await tx.notification.deleteMany({ where: { ticketId: { in: ticketIds } } });
      await tx.ticketPresence.deleteMany({ where: { ticketId: { in: ticketIds } } });

      const challenges = await tx.verificationChallenge.deleteMany({
        where: {
          OR: [
            { customerId: { in: customerIds } },
            { ticketId: { in: ticketIds } },
            ...(userIds.length ? [{ userId: { in: userIds } }] : []),
            ...contacts.map((contact) => ({ target: { equals: contact, mode: "insensitive" as const } })),
          ],
        },
      });

      const keyPatterns = [...contactPatterns, ...[...customerIds, ...userIds].map(like)];
      const rateLimitKeys = keyPatterns.length ? await tx.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "key" ILIKE ANY(${keyPatterns}::text[])` : 0;

      const checks = await tx.identityCheck.updateMany({
        where: { OR: [{ customerId: { in: customerIds } }, { ticketId: { in: ticketIds } }] },
        data: { reason: null },
      });
      const merges = await tx.customerMerge.updateMany({
        where: { OR: [{ survivorId: { in: customerIds } }, { absorbedId: { in: customerIds } }] },
        data: { snapshot: { erased: true }, reason: null },
      });

      // Bulk changes kept whole rows (undo's before/after) and imports kept every cell of the CSV
      // row: both go for this person. Undo of such a change set then simply leaves these rows be.
      const contactRowIds = [
        ...(await tx.customerEmail.findMany({ where: { customerId: { in: customerIds } }, select: { id: true } })),
        ...(await tx.customerPhone.findMany({ where: { customerId: { in: customerIds } }, select: { id: true } })),
      ].map((row) => row.id);
      await tx.changeSetEntry.deleteMany({ where: { rowId: { in: [...customerIds, ...contactRowIds] } } });
      if (contactPatterns.length > 0) {
        await tx.$executeRaw`
          DELETE FROM "CustomerImportRow"
           WHERE "customerId" = ANY(${customerIds}::uuid[]) OR "values"::text ILIKE ANY(${contactPatterns}::text[]) OR issues::text ILIKE ANY(${contactPatterns}::text[])`;
      } else {
        await tx.customerImportRow.deleteMany({ where: { customerId: { in: customerIds } } });
      }

      // Portal accounts go (sessions, recovery codes, preferences and presence by cascade).
      const portalAccounts = await tx.user.deleteMany({ where: { id: { in: userIds } } });
      const emailRows = await tx.customerEmail.deleteMany({ where: { customerId: { in: customerIds } } });
      const phoneRows = await tx.customerPhone.deleteMany({ where: { customerId: { in: customerIds } } });
      // Cleansing suggestions hold addresses and numbers (features/data-quality/cleansing/).
      await tx.cleansingSuggestion.deleteMany({ where: { OR: [{ customerId: { in: customerIds } }, { otherCustomerId: { in: customerIds } }] } });
      const now = new Date();
      for (const id of customerIds) {
        await tx.customer.update({
          where: { id },
          data: { name: ERASED_CUSTOMER_NAME, accountNumber: erasedAccountNumber(id), organisationId: null, erasedAt: now },
        });
      }

      const counts: ErasureCounts = {
        customers: customers.length,
        emails: emailRows.count,
        phones: phoneRows.count,
        portalAccounts: portalAccounts.count,
        tickets: ticketIds.length,
        messages: messages.count,
        attachments: attachments.length,
        outboxMessages: outboxDeleted.count,
        devMailboxMessages: devMailbox.count + Number(devMentioning),
        inboundEmails: inbound.count,
        inboundTexts: inboundTexts.count,
        challenges: challenges.count,
        notifications: notifications.count,
        rateLimitKeys: Number(rateLimitKeys),
        identityChecksKept: checks.count,
        merges: merges.count,
      };
      await recordAudit(
        {
          action: "customer.erased",
          actor: { userId: actor.userId, role: actor.role },
          subjectType: "Customer",
          subjectId: customer.id,
          ip,
          details: { ...counts, alsoErased: customerIds.slice(1) },
        },
        tx,
      );
      return { customerId: customer.id, counts };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** What the confirmation page shows; null when there is no such customer. */
export async function erasureSubject(customerId: string) {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: {
      id: true,
      name: true,
      accountNumber: true,
      erasedAt: true,
      mergedIntoId: true,
      _count: { select: { tickets: true, users: true, emails: true, phones: true } },
    },
  });
  if (!customer) return null;
  const mergedInto = customer.mergedIntoId ? await db.customer.findUnique({ where: { id: customer.mergedIntoId }, select: { id: true, name: true } }) : null;
  return { ...customer, mergedInto };
}
