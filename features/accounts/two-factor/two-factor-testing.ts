import "server-only";
/**
 * Test helpers for the account-security tests (two-factor, phone, password reset, contact change):
 * users, and what was queued in the REAL outbox, opened the way the delivery worker opens it.
 * Imported by tests only.
 */
import { randomInt, randomUUID } from "node:crypto";
import { db, type DeliveryChannel, type Role } from "@/platform/db/client";
import { openSealedText } from "@/platform/outbox/sealed";
import { hashPassword } from "@/features/accounts/password/password";

export const TEST_PASSWORD = "quiet-harbour-lantern-42";

let cachedHash: Promise<string> | undefined;

export async function makeAccount(options: { role?: Role; customerId?: string; phoneE164?: string; phoneVerified?: boolean } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return db.user.create({
    data: {
      email: `person-${randomUUID()}@example.test`,
      name: "Robin Example",
      role: options.role ?? "customer",
      passwordHash: await cachedHash,
      emailVerifiedAt: new Date(),
      customerId: options.customerId ?? null,
      phoneE164: options.phoneE164 ?? null,
      phoneVerifiedAt: options.phoneVerified ? new Date() : null,
    },
  });
}

/** Unique per call, so per-IP and per-number send caps of one test never see another's. */
export const uniqueIp = () => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}-${randomUUID().slice(0, 6)}`;
/** A valid Australian mobile number (+61 4xx xxx xxx), different on every call. */
export const uniqueAuMobile = () => `+614${["12", "23", "38", "55", "66", "88", "99"][randomInt(7)]}${randomInt(100000, 1000000)}`;

export interface QueuedMessage {
  channel: DeliveryChannel;
  kind: string;
  subject: string | null;
  text: string;
  sensitive: boolean;
}

/** Everything queued to `to`, oldest first, with bodies opened. */
export async function messagesTo(to: string): Promise<QueuedMessage[]> {
  const rows = await db.outboxMessage.findMany({ where: { recipient: to }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((row) => ({
    channel: row.channel,
    kind: row.kind,
    subject: row.subject,
    sensitive: row.sensitive,
    text: row.textBody === null ? "" : row.sensitive ? openSealedText(row.textBody) : row.textBody,
  }));
}

export async function lastMessageTo(to: string, kind?: string | RegExp): Promise<QueuedMessage> {
  const all = await messagesTo(to);
  const found = all.filter((message) => !kind || (typeof kind === "string" ? message.kind === kind : kind.test(message.kind))).at(-1);
  if (!found) throw new Error(`nothing${kind ? ` of kind ${kind}` : ""} was queued to ${to}`);
  return found;
}

/** The 6-digit code in an engine email ("123456" alone on a line) or SMS ("code is 123456."). */
export function codeIn(message: QueuedMessage): string {
  const code = (message.channel === "sms" ? /code is (\d{6})\./ : /^\s*(\d{6})\s*$/m).exec(message.text)?.[1];
  if (!code) throw new Error("no code in the message");
  return code;
}

export function linkIn(message: QueuedMessage, path: string): string {
  const link = new RegExp(`(https?://[^\\s\\]]+${path.replace(/\//g, "\\/")}\\?token=[^\\s\\])]+)`).exec(message.text)?.[1];
  if (!link) throw new Error(`no ${path} link in the message`);
  return link;
}

export const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;
