import "server-only";
import { db, type Prisma } from "@/platform/db/client";

/**
 * Numbers that replied STOP to our SMS number (SmsOptOut). Kept here, beside the outbox, because
 * the outbox is the last place that can stop a text: it fails any SMS to an opted-out number
 * (deliver.ts), and the code engine refuses to issue one (features/verification/challenges.ts).
 * Written by the inbound SMS webhook (features/sms/inbound-sms.ts) on STOP and START.
 */

/** What every place that would text an opted-out number says (and the failed outbox row records). */
export const SMS_OPTED_OUT_MESSAGE = "This number has opted out of texts (replied STOP). It gets no texts until it replies START: use email.";

type Reader = Pick<Prisma.TransactionClient, "smsOptOut">;

export async function isSmsOptedOut(e164: string, reader: Reader = db): Promise<boolean> {
  return (await reader.smsOptOut.findUnique({ where: { e164: e164.trim() }, select: { id: true } })) !== null;
}

/** Records an opt-out (idempotent: the first STOP's time is kept). */
export async function recordSmsOptOut(e164: string, at: Date, writer: Reader = db): Promise<void> {
  await writer.smsOptOut.upsert({ where: { e164 }, create: { e164, optedOutAt: at }, update: {} });
}

/** Lifts an opt-out (START, UNSTOP…); true when there was one. */
export async function clearSmsOptOut(e164: string, writer: Reader = db): Promise<boolean> {
  const { count } = await writer.smsOptOut.deleteMany({ where: { e164 } });
  return count > 0;
}
