import { DeliveryError, isRetryableHttpStatus, PROVIDER_TIMEOUT_MS, type OutgoingMessage, type SendResult, type Transport } from "./transport";

export interface TwilioTransportConfig {
  accountSid: string;
  authToken: string;
  /** E.164 sender number. */
  fromNumber: string;
  /** e.g. https://api.twilio.com, or a loopback fake in tests. */
  baseUrl: string;
  timeoutMs?: number;
}

interface TwilioMessageResource {
  sid?: string;
}

interface TwilioErrorBody {
  code?: number;
  message?: string;
}

/** SMS through the Twilio Messages API (a single form POST; no SDK needed). */
export function createTwilioTransport(config: TwilioTransportConfig): Transport {
  const endpoint = `${config.baseUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64")}`;
  const timeoutMs = config.timeoutMs ?? PROVIDER_TIMEOUT_MS;

  return {
    name: "twilio",
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (message.channel !== "sms") throw new DeliveryError(`Twilio cannot send ${message.channel} messages`, false);
      if (!message.textBody) throw new DeliveryError("The SMS has no text", false);

      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: {
            Authorization: authorization,
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "application/json",
          },
          body: new URLSearchParams({ To: message.recipient, From: config.fromNumber, Body: message.textBody }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        const reason = cause instanceof Error && cause.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "request failed";
        throw new DeliveryError(`Twilio ${reason}`, true, { cause });
      }

      const body = (await response.json().catch(() => null)) as (TwilioMessageResource & TwilioErrorBody) | null;
      if (!response.ok) {
        // Only Twilio's own code and message: they never echo the message body.
        const detail = body?.message ? `${body.code ? ` (code ${body.code})` : ""}: ${body.message}` : "";
        throw new DeliveryError(`Twilio ${response.status}${detail}`, isRetryableHttpStatus(response.status));
      }
      if (!body?.sid) throw new DeliveryError("Twilio answered without a message sid", true);
      return { providerMessageId: body.sid };
    },
  };
}
