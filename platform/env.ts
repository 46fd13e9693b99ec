import { z } from "zod";
import { isSendableAddress, mailboxAddress } from "@/platform/email-address/email-address";
import { parseCidrList } from "@/platform/request";
import { parseDnsServers } from "@/platform/dns/servers";

/**
 * Every setting Veridesk reads, validated in one place. The launcher (scripts/start.ts) and the
 * server (instrumentation.ts) both call `loadServerEnv()` at start-up, so a bad value stops the
 * app with one sentence naming the variable instead of failing later on first use.
 */

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((value) => value === "1" || value === "true" || value === "yes");

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    message: "must be a PostgreSQL URL such as postgresql://user:password@host:5432/veridesk",
  });

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, { message: "must be an E.164 number such as +15005550006" });

const HEAP_GROWTH_PROBLEM = "must be 0 (V8's own choice) or a whole percentage from 10 to 400, such as 50";

export const serverEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    /** Demo/development mode: demo data, the development mailbox, generated local secret. */
    VERIDESK_DEMO: flag,
    /**
     * Where the demo listens: 127.0.0.1 unless told otherwise (e.g. 0.0.0.0), since its mailbox
     * shows every sign-in code to anyone who can reach it. Outside demo mode: every interface.
     */
    DEMO_HOST: z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, { message: "must be an address to listen on, such as 127.0.0.1 or 0.0.0.0" })
      .optional(),
    DATABASE_URL: postgresUrl.optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    NEXTAUTH_URL: z.url({ message: "must be the public base URL of the app, such as https://help.example.com" }).optional(),
    NEXTAUTH_SECRET: z.string().min(32, { message: "must be at least 32 characters; generate one with `openssl rand -base64 32`" }),
    EMAIL_FROM: z
      .string()
      .refine((value) => isSendableAddress(mailboxAddress(value)), {
        message: 'must be an address such as "Veridesk Support <support@example.com>"',
      })
      .default("Veridesk Support <support@veridesk.localhost>"),
    RESEND_API_KEY: z.string().startsWith("re_", { message: 'must be a Resend API key (it starts with "re_")' }).optional(),
    RESEND_BASE_URL: z.url().optional(),
    RESEND_WEBHOOK_SECRET: z.string().startsWith("whsec_", { message: 'must be a Svix signing secret (it starts with "whsec_")' }).optional(),
    /** Shared secret of the generic mail gateway posting to /api/inbound (unset: that route answers 503). */
    INBOUND_EMAIL_SECRET: z
      .string()
      .min(32, { message: "must be at least 32 characters; generate one with `openssl rand -hex 32` and give the mail gateway the same value" })
      .optional(),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, { message: 'must be a Twilio Account SID ("AC" and 32 hex digits)' })
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16, { message: "must be a Twilio auth token" }).optional(),
    TWILIO_FROM_NUMBER: e164.optional(),
    TWILIO_BASE_URL: z.url().default("https://api.twilio.com"),
    REQUIRE_STAFF_TWO_FACTOR: flag,
    /** How long a staff invitation link works (features/staff/invitations.ts): 72 h by default, at most 30 days. */
    STAFF_INVITATION_LIFETIME_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    /** Run the background delivery worker in this instance (default on). */
    OUTBOX_WORKER: z.enum(["on", "off"]).default("on"),
    /** How long an agent-run identity check (or a supervisor override) counts for its conversation. */
    IDENTITY_CHECK_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    /**
     * How long a security event (email or mobile changed, new-browser sign-in, a change reported as
     * not the owner's) keeps a requester at most "partially verified" until an agent checks them,
     * and keeps caller codes away from a channel changed in it (features/identity/recent-risk.ts).
     */
    RECENT_RISK_WINDOW_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    /** How many days after a ticket is solved its customer may still reopen it (0 = never; afterwards a follow-up ticket). */
    CUSTOMER_REOPEN_WINDOW_DAYS: z.coerce
      .number({ error: "must be a whole number of days from 0 to 365" })
      .int({ error: "must be a whole number of days from 0 to 365" })
      .min(0, { error: "must be a whole number of days from 0 to 365" })
      .max(365, { error: "must be a whole number of days from 0 to 365" })
      .default(7),
    /** Acknowledgements of emailed requests, all senders together, per hour: a flood or a forged-sender campaign cannot turn us into a mailer. */
    EMAIL_ACKNOWLEDGEMENTS_PER_HOUR: z.coerce
      .number({ error: "must be a whole number from 1 to 100000" })
      .int({ error: "must be a whole number from 1 to 100000" })
      .min(1, { error: "must be a whole number from 1 to 100000" })
      .max(100_000, { error: "must be a whole number from 1 to 100000" })
      .default(200),
    /** Run the SLA job (warnings and breaches escalate tickets) in this instance (default on). */
    SLA_JOB: z.enum(["on", "off"]).default("on"),
    SLA_JOB_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** Run background jobs (imports, validation runs, campaigns) in this instance (default on); every instance may, each job runs once. */
    BACKGROUND_JOBS: z.enum(["on", "off"]).default("on"),
    /** Bulk contact validation (features/data-quality/validation/): look mail domains up in DNS (default on); off = no DNS reasons. */
    VALIDATION_DNS: z.enum(["on", "off"]).default("on"),
    /** DNS servers for those lookups instead of the system's, e.g. "127.0.0.1:5353, [::1]:53" (IP addresses, optional ports). */
    VALIDATION_DNS_SERVERS: z
      .string()
      .refine((value) => parseDnsServers(value) !== null, {
        message: 'must be a comma-separated list of DNS server IP addresses with optional ports, such as "127.0.0.1:5353, 1.1.1.1"',
      })
      .optional(),
    VALIDATION_DNS_TIMEOUT_MS: z.coerce
      .number({ message: "must be a whole number of milliseconds from 100 to 30000, such as 3000" })
      .int({ message: "must be a whole number of milliseconds from 100 to 30000, such as 3000" })
      .min(100, { message: "must be a whole number of milliseconds from 100 to 30000, such as 3000" })
      .max(30_000, { message: "must be a whole number of milliseconds from 100 to 30000, such as 3000" })
      .default(3_000),
    /** The UTC hour (0–23) of the nightly validation of every contact, or "off". */
    VALIDATION_NIGHTLY_HOUR_UTC: z
      .union([z.literal("off"), z.coerce.number().int().min(0).max(23)], { error: 'must be an hour from 0 to 23 (UTC), such as 2, or "off"' })
      .default(2),
    /** Server processes per instance (`npm start`, one port); unset: one per available core, 1: a single process. */
    WEB_CONCURRENCY: z.coerce
      .number({ message: "must be a whole number of server processes from 1 to 64, such as 2 (unset: one per CPU core)" })
      .int({ message: "must be a whole number of server processes from 1 to 64, such as 2 (unset: one per CPU core)" })
      .min(1, { message: "must be a whole number of server processes from 1 to 64, such as 2 (unset: one per CPU core)" })
      .max(64, { message: "must be a whole number of server processes from 1 to 64, such as 2 (unset: one per CPU core)" })
      .optional(),
    /**
     * How far past what the last full garbage collection kept each server process's heap may grow
     * before the next one (V8's --heap-growing-percent); 0: V8's own choice. V8 alone lets a worker's
     * ~100 MB of live data grow to ~330 MB of heap under load; 50 keeps the instance's peak memory at
     * about 60 %, for 0–15 % more CPU per page in the runs measured (issue 17, README "The server's memory").
     */
    SERVER_HEAP_GROWTH_PERCENT: z.coerce
      .number({ message: HEAP_GROWTH_PROBLEM })
      .int({ message: HEAP_GROWTH_PROBLEM })
      .min(0, { message: HEAP_GROWTH_PROBLEM })
      .max(400, { message: HEAP_GROWTH_PROBLEM })
      // 1 to 9: V8 would collect the heap almost continuously (negative numbers: .min above).
      .refine((percent) => percent <= 0 || percent >= 10, { message: HEAP_GROWTH_PROBLEM })
      .default(50),
    /**
     * Proxies in front of the app (platform/request.ts): how many always are, and/or their address
     * ranges. Unset: the TCP peer is the client and X-Forwarded-For is ignored.
     */
    TRUSTED_PROXY_HOPS: z.coerce
      .number({ message: "must be a whole number: how many proxies (load balancer, CDN) forward to the app, such as 1" })
      .int({ message: "must be a whole number: how many proxies (load balancer, CDN) forward to the app, such as 1" })
      .min(0)
      .max(10, { message: "must be between 0 and 10: how many proxies forward to the app" })
      .default(0),
    TRUSTED_PROXY_CIDRS: z
      .string()
      .refine((value) => parseCidrList(value).bad === null, {
        message: "must be a comma-separated list of proxy addresses or ranges such as 10.0.0.0/8, 2001:db8::/32",
      })
      .optional(),
    /**
     * Attachment limits in MB (1 MB = 1,048,576 bytes), per file and per message. At most 30:
     * Resend takes 40 MB per email once the files are base64-encoded (a third larger).
     */
    ATTACHMENT_MAX_FILE_MB: z.coerce
      .number({ message: "must be a whole number of megabytes, such as 25" })
      .int({ message: "must be a whole number of megabytes, such as 25" })
      .min(1, { message: "must be at least 1 (MB)" })
      .max(30, { message: "must be 30 (MB) at most: Resend refuses emails over 40 MB, and base64 adds a third" })
      .default(25),
    ATTACHMENT_MAX_MESSAGE_MB: z.coerce
      .number({ message: "must be a whole number of megabytes, such as 25" })
      .int({ message: "must be a whole number of megabytes, such as 25" })
      .min(1, { message: "must be at least 1 (MB)" })
      .max(30, { message: "must be 30 (MB) at most: Resend refuses emails over 40 MB, and base64 adds a third" })
      .default(25),
    /** Tests only: let the e2e suite move the app's clock (an offset kept in AppSetting). Never in production. */
    VERIDESK_TEST_CLOCK: flag,
  })
  .superRefine((env, ctx) => {
    const twilio = [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM_NUMBER];
    if (twilio.some(Boolean) && !twilio.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["TWILIO_ACCOUNT_SID"],
        message: "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER must be set together",
      });
    }
    if (env.ATTACHMENT_MAX_FILE_MB > env.ATTACHMENT_MAX_MESSAGE_MB) {
      ctx.addIssue({
        code: "custom",
        path: ["ATTACHMENT_MAX_FILE_MB"],
        message: `must not be larger than ATTACHMENT_MAX_MESSAGE_MB (${env.ATTACHMENT_MAX_MESSAGE_MB}): one file could never be sent`,
      });
    }
    if (env.VERIDESK_DEMO && env.NODE_ENV === "production" && env.NEXTAUTH_URL && !isLocalhostUrl(env.NEXTAUTH_URL)) {
      ctx.addIssue({
        code: "custom",
        path: ["VERIDESK_DEMO"],
        message: `is refused in production with a public NEXTAUTH_URL (${env.NEXTAUTH_URL}), because demo mode shows every sign-in code to anyone at /dev/mailbox: use a localhost NEXTAUTH_URL for a demo, or turn demo mode off and configure real email and SMS`,
      });
    }
    if (!env.VERIDESK_DEMO) {
      if (!env.RESEND_API_KEY) {
        ctx.addIssue({
          code: "custom",
          path: ["RESEND_API_KEY"],
          message: "is required outside demo mode (set VERIDESK_DEMO=1 to use the development mailbox)",
        });
      }
      if (!env.TWILIO_ACCOUNT_SID) {
        ctx.addIssue({
          code: "custom",
          path: ["TWILIO_ACCOUNT_SID"],
          message: "is required outside demo mode for SMS codes (set VERIDESK_DEMO=1 to use the development mailbox)",
        });
      }
      if (!env.NEXTAUTH_URL) {
        ctx.addIssue({ code: "custom", path: ["NEXTAUTH_URL"], message: "is required outside demo mode: the public base URL used in emailed links" });
      }
    }
  });

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}. See .env.example.`);
    this.name = "EnvError";
  }
}

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  // An empty or blank variable means "not set", as in most deployment tools (a blank number would
  // otherwise read as 0: no heap growth limit, the nightly validation at midnight).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const result = serverEnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
  }
  return result.data;
}

let cached: ServerEnv | undefined;

/** The validated environment of this process (validated once, on first use). */
export function serverEnv(): ServerEnv {
  return (cached ??= parseServerEnv(process.env));
}

export function publicBaseUrl(env: ServerEnv = serverEnv()): string {
  return (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/** How many server processes `npm start` runs: WEB_CONCURRENCY, else one per core this process may use. */
export function webConcurrency(env: Pick<ServerEnv, "WEB_CONCURRENCY">, availableCores: number): number {
  return env.WEB_CONCURRENCY ?? Math.max(1, availableCores);
}

/** The Node flags `npm start` runs each server process with (the cluster's workers inherit them). */
export function serverNodeFlags(env: Pick<ServerEnv, "SERVER_HEAP_GROWTH_PERCENT">): string[] {
  return env.SERVER_HEAP_GROWTH_PERCENT > 0 ? [`--heap-growing-percent=${env.SERVER_HEAP_GROWTH_PERCENT}`] : [];
}

/** http(s)://localhost, *.localhost, 127.x.x.x or [::1]: a URL only this machine can open. */
export function isLocalhostUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname.toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host) || host === "[::1]";
}

/** The address the launcher's server listens on: demo mode stays on this machine unless DEMO_HOST says otherwise. */
export function listenHost(env: ServerEnv): string | undefined {
  return env.VERIDESK_DEMO ? (env.DEMO_HOST ?? "127.0.0.1") : undefined;
}

export function isDemoMode(env: ServerEnv = serverEnv()): boolean {
  return env.VERIDESK_DEMO;
}
