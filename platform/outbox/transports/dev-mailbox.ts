import { db } from "@/platform/db/client";
import { senderWithName } from "./sender";
import { DeliveryError, type OutgoingMessage, type SendResult, type Transport } from "./transport";

export interface DevMailboxTransportConfig {
  emailSender: string;
  smsSender: string;
}

/** Crude text version of an HTML-only email, for the mailbox list (which needs a text body). */
function textFromHtml(html: string): string {
  return html
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|tr)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n\s*/g, "\n\n")
    .trim();
}

/**
 * Demo/development delivery: stores the message in DevMailboxMessage, shown at /dev/mailbox.
 * Only chosen in demo mode (see transportFor), so real codes never land in a table anyone can read.
 */
export function createDevMailboxTransport(config: DevMailboxTransportConfig): Transport {
  return {
    name: "dev-mailbox",
    async send(message: OutgoingMessage): Promise<SendResult> {
      // A retry after a crash between "stored" and "marked sent" must not show the message twice.
      const existing = await db.devMailboxMessage.findFirst({ where: { outboxMessageId: message.id }, select: { id: true } });
      if (existing) return { providerMessageId: existing.id };

      const textBody = message.textBody ?? (message.htmlBody ? textFromHtml(message.htmlBody) : null);
      if (textBody === null) throw new DeliveryError("The message has no body", false);
      const stored = await db.devMailboxMessage.create({
        data: {
          channel: message.channel,
          recipient: message.recipient,
          sender: message.channel === "email" ? senderWithName(config.emailSender, message.senderName) : config.smsSender,
          subject: message.subject,
          textBody,
          htmlBody: message.htmlBody,
          outboxMessageId: message.id,
        },
        select: { id: true },
      });
      return { providerMessageId: stored.id };
    },
  };
}
