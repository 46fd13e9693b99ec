import "server-only";
import { recordAudit } from "@/platform/audit";
import type { Actor } from "@/platform/auth/sessions";
import { enqueueEmail } from "@/platform/outbox/outbox";

/**
 * A supervisor checks that email delivery works end to end (provider key, sender address, worker)
 * by sending a message to their own address; it goes through the outbox like any other email.
 */
export async function sendDeliveryTestEmail(actor: Actor): Promise<{ outboxMessageId: string; to: string }> {
  const sentAt = new Date().toISOString().slice(0, 16).replace("T", " ");
  const message = await enqueueEmail({
    kind: "delivery-test",
    to: actor.email,
    subject: `Veridesk test email (${sentAt} UTC)`,
    text: `Hello ${actor.name},\n\nThis message was sent from the Veridesk supervisor page to check that email delivery is working.\n\nNo action is needed.`,
  });
  await recordAudit({
    action: "delivery.test_email_sent",
    actor: { userId: actor.userId, role: actor.role },
    subjectType: "OutboxMessage",
    subjectId: message.id,
  });
  return { outboxMessageId: message.id, to: actor.email };
}
