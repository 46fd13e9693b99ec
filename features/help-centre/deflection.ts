import "server-only";
import { db } from "@/platform/db/client";

/**
 * Deflection (issue 15 item 2): while a customer types a new ticket's subject the portal suggests
 * public articles; opening one is recorded against that form (its idempotency key, which the
 * ticket keeps once sent). A form whose suggestion was opened and that did not become a ticket
 * (nor did the person file any other within a day of the opening) counts as deflected, once DEFLECTION_GRACE_HOURS have passed: the article answered before a ticket was needed.
 */
export const DEFLECTION_GRACE_HOURS = 1;

export async function recordSuggestionOpened(input: { userId: string; formKey: string; articleId: string }): Promise<void> {
  const article = await db.kbArticle.findUnique({ where: { id: input.articleId }, select: { visibility: true } });
  if (article?.visibility !== "public") return;
  await db.kbSuggestionOpen.upsert({
    where: { userId_formKey_articleId: input },
    create: input,
    update: {},
  });
}

export interface DeflectionFigures {
  /** Forms where at least one suggestion was opened (old enough to have been sent). */
  formsWithSuggestionOpened: number;
  /** Of those, the ones that never became a ticket. */
  deflected: number;
  /** deflected / formsWithSuggestionOpened, or null when there were none. */
  rate: number | null;
}

export async function deflectionFigures(input: { from: Date; to: Date; now?: Date }): Promise<DeflectionFigures> {
  const settledBefore = new Date((input.now ?? new Date()).getTime() - DEFLECTION_GRACE_HOURS * 3_600_000);
  const to = input.to < settledBefore ? input.to : settledBefore;
  const [row] = await db.$queryRaw<{ forms: bigint; deflected: bigint }[]>`
    WITH forms AS (
      SELECT "userId", "formKey", min("openedAt") AS "openedAt" FROM "KbSuggestionOpen"
       WHERE "openedAt" >= ${input.from} AND "openedAt" < ${to}
       GROUP BY "userId", "formKey"
    )
    -- Deflected: no ticket from that form, nor from the same person within a day of opening the article
    -- (a reloaded form has a new key; coming back later to file is not a deflection either).
    SELECT count(*) AS "forms",
           count(*) FILTER (WHERE NOT EXISTS (
             SELECT 1 FROM "Ticket" t
              WHERE t."requesterUserId" = forms."userId"
                AND (t."idempotencyKey" = forms."formKey" OR t."createdAt" BETWEEN forms."openedAt" AND forms."openedAt" + interval '24 hours'))) AS "deflected"
      FROM forms`;
  const forms = Number(row?.forms ?? 0);
  const deflected = Number(row?.deflected ?? 0);
  return { formsWithSuggestionOpened: forms, deflected, rate: forms ? deflected / forms : null };
}
