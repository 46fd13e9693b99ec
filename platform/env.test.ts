import { describe, expect, it } from "vitest";
import { EnvError, listenHost, parseServerEnv, serverNodeFlags, webConcurrency } from "@/platform/env";

const secret = "s".repeat(40);

function problemsOf(env: Record<string, string>) {
  try {
    parseServerEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
  throw new Error("expected the environment to be rejected");
}

describe("parseServerEnv", () => {
  it("has no default its own rules would refuse (a default is not validated: written out, each must pass)", () => {
    const demo = { VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret };
    const defaults = parseServerEnv(demo);
    const writtenOut = Object.fromEntries(
      Object.entries(defaults)
        .filter(([, value]) => typeof value === "number")
        .map(([name, value]) => [name, String(value)]),
    );
    expect(Object.keys(writtenOut)).toContain("SERVER_HEAP_GROWTH_PERCENT");
    expect(parseServerEnv({ ...demo, ...writtenOut })).toEqual(defaults);
  });

  it("limits attachments to 25 MB per file and message by default, configurable up to 30 MB, a file never above a message", () => {
    const defaults = parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret });
    expect([defaults.ATTACHMENT_MAX_FILE_MB, defaults.ATTACHMENT_MAX_MESSAGE_MB]).toEqual([25, 25]);
    const set = parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, ATTACHMENT_MAX_FILE_MB: "5", ATTACHMENT_MAX_MESSAGE_MB: "20" });
    expect([set.ATTACHMENT_MAX_FILE_MB, set.ATTACHMENT_MAX_MESSAGE_MB]).toEqual([5, 20]);
    expect(() => parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, ATTACHMENT_MAX_FILE_MB: "50" })).toThrow(
      /ATTACHMENT_MAX_FILE_MB.*30 \(MB\) at most/,
    );
    expect(() => parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, ATTACHMENT_MAX_FILE_MB: "ten" })).toThrow(
      /ATTACHMENT_MAX_FILE_MB.*whole number of megabytes/,
    );
    expect(() => parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, ATTACHMENT_MAX_FILE_MB: "20", ATTACHMENT_MAX_MESSAGE_MB: "10" })).toThrow(
      /ATTACHMENT_MAX_FILE_MB.*must not be larger than ATTACHMENT_MAX_MESSAGE_MB \(10\)/,
    );
  });

  it("accepts a minimal demo configuration and fills defaults", () => {
    const env = parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret });
    expect(env.VERIDESK_DEMO).toBe(true);
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe("./data");
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names the variable and says what to do when the secret is missing or short", () => {
    expect(problemsOf({ VERIDESK_DEMO: "1" })[0]).toMatch(/^NEXTAUTH_SECRET /);
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: "short" })[0]).toMatch(/NEXTAUTH_SECRET must be at least 32 characters.*openssl/);
  });

  it("rejects a DATABASE_URL that is not PostgreSQL", () => {
    const [problem] = problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, DATABASE_URL: "mysql://root@localhost/db" });
    expect(problem).toMatch(/^DATABASE_URL must be a PostgreSQL URL/);
  });

  it("reads the staff invitation lifetime in hours (72 by default, 1 to 720)", () => {
    const base = { VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret };
    expect(parseServerEnv(base).STAFF_INVITATION_LIFETIME_HOURS).toBe(72);
    expect(parseServerEnv({ ...base, STAFF_INVITATION_LIFETIME_HOURS: "24" }).STAFF_INVITATION_LIFETIME_HOURS).toBe(24);
    expect(problemsOf({ ...base, STAFF_INVITATION_LIFETIME_HOURS: "0" })[0]).toMatch(/^STAFF_INVITATION_LIFETIME_HOURS /);
    expect(problemsOf({ ...base, STAFF_INVITATION_LIFETIME_HOURS: "a week" })[0]).toMatch(/^STAFF_INVITATION_LIFETIME_HOURS /);
  });

  it("treats empty and blank variables as unset", () => {
    expect(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    // A blank number would otherwise read as 0.
    const blank = parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, SERVER_HEAP_GROWTH_PERCENT: "  ", VALIDATION_NIGHTLY_HOUR_UTC: "\t" });
    expect(blank.SERVER_HEAP_GROWTH_PERCENT).toBe(50);
    expect(blank.VALIDATION_NIGHTLY_HOUR_UTC).toBe(2);
  });

  it("requires real delivery providers and a public URL outside demo mode", () => {
    const problems = problemsOf({ NEXTAUTH_SECRET: secret });
    expect(problems.some((p) => p.startsWith("RESEND_API_KEY is required outside demo mode"))).toBe(true);
    expect(problems.some((p) => p.startsWith("TWILIO_ACCOUNT_SID is required outside demo mode"))).toBe(true);
    expect(problems.some((p) => p.startsWith("NEXTAUTH_URL is required"))).toBe(true);
  });

  it("rejects malformed provider keys with the expected shape", () => {
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, RESEND_API_KEY: "sk_live_123" })[0]).toMatch(/RESEND_API_KEY must be a Resend API key/);
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, TWILIO_ACCOUNT_SID: "AC" + "0".repeat(32) })[0]).toMatch(/must be set together/);
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, PORT: "http" })[0]).toMatch(/^PORT /);
  });

  it("takes an optional inbound email secret of at least 32 characters", () => {
    expect(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret }).INBOUND_EMAIL_SECRET).toBeUndefined();
    expect(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, INBOUND_EMAIL_SECRET: "i".repeat(32) }).INBOUND_EMAIL_SECRET).toBe("i".repeat(32));
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, INBOUND_EMAIL_SECRET: "too-short" })[0]).toMatch(
      /^INBOUND_EMAIL_SECRET must be at least 32 characters; generate one with `openssl rand -hex 32`/,
    );
  });

  it("accepts a complete production configuration", () => {
    const env = parseServerEnv({
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: "https://help.example.com",
      DATABASE_URL: "postgresql://veridesk:pw@db.internal:5432/veridesk",
      RESEND_API_KEY: "re_123456",
      TWILIO_ACCOUNT_SID: "AC" + "a".repeat(32),
      TWILIO_AUTH_TOKEN: "t".repeat(32),
      TWILIO_FROM_NUMBER: "+15005550006",
    });
    expect(env.VERIDESK_DEMO).toBe(false);
    expect(env.TWILIO_BASE_URL).toBe("https://api.twilio.com");
  });

  it("validates the trusted proxies with a sentence naming the variable", () => {
    const env = parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "1", TRUSTED_PROXY_CIDRS: "10.0.0.0/8, ::1" });
    expect(env.TRUSTED_PROXY_HOPS).toBe(1);
    expect(env.TRUSTED_PROXY_CIDRS).toBe("10.0.0.0/8, ::1");
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "one" })[0]).toMatch(/^TRUSTED_PROXY_HOPS must be a whole number/);
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, TRUSTED_PROXY_CIDRS: "10.0.0.0/33" })[0]).toMatch(
      /^TRUSTED_PROXY_CIDRS must be a comma-separated list of proxy addresses or ranges/,
    );
  });

  it("refuses demo mode in production on a public URL, with one sentence, and keeps it on localhost", () => {
    const demo = { VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, NODE_ENV: "production" };
    expect(problemsOf({ ...demo, NEXTAUTH_URL: "https://help.example.com" })).toEqual([
      expect.stringMatching(
        /^VERIDESK_DEMO is refused in production with a public NEXTAUTH_URL \(https:\/\/help\.example\.com\), because demo mode shows every sign-in code/,
      ),
    ]);
    for (const url of ["http://localhost:3100", "http://127.0.0.1:3000", "http://[::1]:3000", "http://veridesk.localhost"]) {
      expect(parseServerEnv({ ...demo, NEXTAUTH_URL: url }).VERIDESK_DEMO).toBe(true);
    }
    expect(parseServerEnv({ ...demo, NODE_ENV: "development", NEXTAUTH_URL: "https://help.example.com" }).VERIDESK_DEMO).toBe(true);
  });

  it("listens on 127.0.0.1 in demo mode unless DEMO_HOST says otherwise, and everywhere outside it", () => {
    expect(listenHost(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret }))).toBe("127.0.0.1");
    expect(listenHost(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, DEMO_HOST: "0.0.0.0" }))).toBe("0.0.0.0");
    expect(
      listenHost(
        parseServerEnv({
          NEXTAUTH_SECRET: secret,
          NEXTAUTH_URL: "https://help.example.com",
          RESEND_API_KEY: "re_1",
          TWILIO_ACCOUNT_SID: "AC" + "a".repeat(32),
          TWILIO_AUTH_TOKEN: "t".repeat(32),
          TWILIO_FROM_NUMBER: "+15005550006",
        }),
      ),
    ).toBeUndefined();
  });

  it("runs one server process per core unless WEB_CONCURRENCY says how many (1 to 64, whole numbers)", () => {
    const demo = { VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret };
    expect(webConcurrency(parseServerEnv(demo), 2)).toBe(2);
    expect(webConcurrency(parseServerEnv({ ...demo, WEB_CONCURRENCY: "" }), 8)).toBe(8);
    expect(webConcurrency(parseServerEnv({ ...demo, WEB_CONCURRENCY: "1" }), 8)).toBe(1);
    expect(webConcurrency(parseServerEnv({ ...demo, WEB_CONCURRENCY: "3" }), 2)).toBe(3);
    expect(webConcurrency(parseServerEnv(demo), 0)).toBe(1);
    for (const bad of ["0", "-1", "1.5", "two", "65"]) {
      expect(problemsOf({ ...demo, WEB_CONCURRENCY: bad })).toEqual([
        "WEB_CONCURRENCY must be a whole number of server processes from 1 to 64, such as 2 (unset: one per CPU core)",
      ]);
    }
  });
});

describe("SERVER_HEAP_GROWTH_PERCENT", () => {
  const demo = { VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret };
  it("runs the server processes with V8's heap growth at 50 % unless it says otherwise; 0 leaves V8 its own choice", () => {
    expect(serverNodeFlags(parseServerEnv(demo))).toEqual(["--heap-growing-percent=50"]);
    expect(serverNodeFlags(parseServerEnv({ ...demo, SERVER_HEAP_GROWTH_PERCENT: "25" }))).toEqual(["--heap-growing-percent=25"]);
    expect(serverNodeFlags(parseServerEnv({ ...demo, SERVER_HEAP_GROWTH_PERCENT: "0" }))).toEqual([]);
  });

  it.each(["-1", "1", "9", "12.5", "401", "half"])("refuses %j, naming the variable", (value) => {
    expect(problemsOf({ ...demo, SERVER_HEAP_GROWTH_PERCENT: value })).toEqual([
      "SERVER_HEAP_GROWTH_PERCENT must be 0 (V8's own choice) or a whole percentage from 10 to 400, such as 50",
    ]);
  });

  it("takes 10 as its lowest percentage", () => {
    expect(serverNodeFlags(parseServerEnv({ ...demo, SERVER_HEAP_GROWTH_PERCENT: "10" }))).toEqual(["--heap-growing-percent=10"]);
  });
});

describe("CUSTOMER_REOPEN_WINDOW_DAYS", () => {
  it("defaults to 7 days and takes a whole number from 0 to 365", () => {
    expect(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret }).CUSTOMER_REOPEN_WINDOW_DAYS).toBe(7);
    expect(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, CUSTOMER_REOPEN_WINDOW_DAYS: "0" }).CUSTOMER_REOPEN_WINDOW_DAYS).toBe(0);
    expect(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, CUSTOMER_REOPEN_WINDOW_DAYS: "30" }).CUSTOMER_REOPEN_WINDOW_DAYS).toBe(30);
  });

  it.each(["-1", "1.5", "366", "seven"])("refuses %j, naming the variable", (value) => {
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, CUSTOMER_REOPEN_WINDOW_DAYS: value })[0]).toBe(
      "CUSTOMER_REOPEN_WINDOW_DAYS must be a whole number of days from 0 to 365",
    );
  });
});

describe("EMAIL_ACKNOWLEDGEMENTS_PER_HOUR", () => {
  it("defaults to 200 and takes a whole number from 1 to 100000", () => {
    expect(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret }).EMAIL_ACKNOWLEDGEMENTS_PER_HOUR).toBe(200);
    expect(parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, EMAIL_ACKNOWLEDGEMENTS_PER_HOUR: "1000" }).EMAIL_ACKNOWLEDGEMENTS_PER_HOUR).toBe(1000);
  });

  it.each(["0", "1.5", "100001", "many"])("refuses %j, naming the variable", (value) => {
    expect(problemsOf({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: secret, EMAIL_ACKNOWLEDGEMENTS_PER_HOUR: value })[0]).toBe(
      "EMAIL_ACKNOWLEDGEMENTS_PER_HOUR must be a whole number from 1 to 100000",
    );
  });
});
