import { Resend, type ErrorResponse } from "resend";
import { senderWithName } from "./sender";
import { DeliveryError, isRetryableHttpStatus, PROVIDER_TIMEOUT_MS, type OutgoingMessage, type SendResult, type Transport } from "./transport";

export interface ResendTransportConfig {
  apiKey: string;
  /** Sender, e.g. "Veridesk Support <support@example.com>". */
  from: string;
  /**
   * API base URL. When omitted the SDK itself falls back to process.env.RESEND_BASE_URL and then
   * https://api.resend.com (resend 6.38 reads it in its constructor).
   */
  baseUrl?: string;
  timeoutMs?: number;
}

// Error names Resend uses for conditions that clear up by themselves.
const RETRYABLE_RESEND_ERRORS = new Set<string>([
  "rate_limit_exceeded",
  "daily_quota_exceeded",
  "concurrent_idempotent_requests",
  "application_error",
  "internal_server_error",
]);

function isRetryableResendError(error: ErrorResponse): boolean {
  // statusCode null = the request never got an answer (network failure, timeout).
  if (error.statusCode === null || error.statusCode === undefined) return true;
  return isRetryableHttpStatus(error.statusCode) || RETRYABLE_RESEND_ERRORS.has(error.name);
}

/** Email through the official Resend SDK. */
export function createResendTransport(config: ResendTransportConfig): Transport {
  const client = new Resend(config.apiKey, config.baseUrl ? { baseUrl: config.baseUrl } : undefined);
  const timeoutMs = config.timeoutMs ?? PROVIDER_TIMEOUT_MS;

  return {
    name: "resend",
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (message.channel !== "email") throw new DeliveryError(`Resend cannot send ${message.channel} messages`, false);
      if (!message.textBody && !message.htmlBody) throw new DeliveryError("The email has neither a text nor an HTML body", false);
      const headers = Object.keys(message.headers).length > 0 ? message.headers : undefined;
      const attachments = message.attachments?.length
        ? message.attachments.map((file) => ({ filename: file.filename, contentType: file.contentType, content: Buffer.from(file.content) }))
        : undefined;
      const base = { from: senderWithName(config.from, message.senderName), to: message.recipient, subject: message.subject ?? "", headers, attachments };
      const payload = message.htmlBody
        ? { ...base, html: message.htmlBody, ...(message.textBody ? { text: message.textBody } : {}) }
        : { ...base, text: message.textBody! };

      const { data, error } = await client.emails.send(payload, {
        // Resend drops a repeated request with the same key (for 24 h), so a retry after a lost
        // answer or a crash between "sent" and "marked sent" does not send the email twice.
        idempotencyKey: `outbox-${message.id}`,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (error) {
        const status = error.statusCode ? ` ${error.statusCode}` : "";
        throw new DeliveryError(`Resend${status} ${error.name}: ${error.message}`, isRetryableResendError(error));
      }
      if (!data?.id) throw new DeliveryError("Resend answered without an email id", true);
      return { providerMessageId: data.id };
    },
  };
}
