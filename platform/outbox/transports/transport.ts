import type { DeliveryChannel } from "@/platform/db/client";

/**
 * What a delivery provider is asked to send: one outbox row with its bodies already opened.
 * Transports never log or echo bodies: they may carry one-time codes.
 */
export interface OutgoingMessage {
  /** The OutboxMessage id; also used as the provider idempotency key where one exists. */
  id: string;
  channel: DeliveryChannel;
  kind: string;
  /** Email address or E.164 number. */
  recipient: string;
  subject: string | null;
  /** Display name for the From header (the address stays the configured one); null = the configured sender as it is. */
  senderName?: string | null;
  textBody: string | null;
  htmlBody: string | null;
  /** Extra email headers (Message-ID, In-Reply-To, References, Reply-To…); ignored for SMS. */
  headers: Record<string, string>;
  /** Files to attach (email only), loaded from storage for this send. */
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
}

export interface SendResult {
  providerMessageId: string;
}

export interface Transport {
  /** Stored as OutboxMessage.provider, e.g. "resend", "twilio", "dev-mailbox". */
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
}

/**
 * A failed send. `retryable` says whether trying again later may succeed (outage, rate limit,
 * timeout) or never will (rejected recipient, bad credentials). The message must never contain a
 * message body: it is stored as OutboxMessage.lastError and logged.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DeliveryError";
  }
}

/** HTTP statuses worth retrying: timeouts, rate limits and server-side failures. */
export function isRetryableHttpStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export const PROVIDER_TIMEOUT_MS = 15_000;
