import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword } from "@/features/accounts/password/password";
import { credentialsProvider, SIGN_IN_RATE_LIMITED } from "@/features/accounts/sign-in/credentials";
import { db } from "@/platform/db/client";

/**
 * The sign-in limits, driven through next-auth's authorize() with the raw request headers it gets.
 * `x-veridesk-peer` is what scripts/next-server.mjs sets from the socket; X-Forwarded-For is whatever
 * the client chose to send.
 */
type Outcome = "signed_in" | "wrong" | "rate_limited" | string;

const authorize = credentialsProvider().options.authorize as (
  credentials: Record<string, string>,
  request: { headers: Record<string, string> },
) => Promise<{ id: string } | null>;

async function attempt(email: string, password: string, headers: Record<string, string>): Promise<Outcome> {
  try {
    return (await authorize({ email, password }, { headers })) ? "signed_in" : "wrong";
  } catch (error) {
    return (error as Error).message;
  }
}

// Every call a different address, from a range no other test file uses: two random picks that
// collided had their failures counted per address, throttling the client and leaving the run of
// 100 consecutive failures short (a flaky "locks the account" in a full parallel run).
let nextPeer = randomInt(0, 50_000);
const address = () => {
  nextPeer += 1;
  return `198.18.${Math.floor(nextPeer / 250) % 256}.${(nextPeer % 250) + 1}`;
};
const PASSWORD = "tidal-quartz-orchard-58";

async function makeAccount() {
  const email = `owner-${randomUUID()}@example.test`;
  await db.user.create({ data: { email, name: "Owner", role: "customer", passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: new Date() } });
  return email;
}

describe("per-address sign-in limit", () => {
  it("cannot be bypassed by rotating X-Forwarded-For from one socket", async () => {
    const peer = address();
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 100; i++) {
      // A different unknown account each time, so only the per-address limit can refuse.
      outcomes.push(await attempt(`nobody-${randomUUID()}@example.test`, "wrong-password-1", { "x-veridesk-peer": peer, "x-forwarded-for": `10.${i}.0.1` }));
    }
    const evaluated = outcomes.filter((outcome) => outcome !== SIGN_IN_RATE_LIMITED).length;
    console.info(`[probe] rotating X-Forwarded-For, 100 failed sign-ins from one socket: ${evaluated} evaluated, ${100 - evaluated} refused`);
    expect(evaluated).toBe(50);
  }, 120_000);
});

describe("per-account sign-in limits", () => {
  const wrong = (email: string, peer: string) => attempt(email, "wrong-password-1", { "x-veridesk-peer": peer });

  it("a stranger's wrong passwords from another client never lock the owner out", async () => {
    const email = await makeAccount();
    const stranger = address();
    const strangerOutcomes: Outcome[] = [];
    for (let i = 0; i < 15; i++) strangerOutcomes.push(await wrong(email, stranger));
    const owner = await attempt(email, PASSWORD, { "x-veridesk-peer": address() });
    console.info(`[probe] stranger 15 wrong passwords, then the owner from their own client: owner ${owner}`);
    expect(owner).toBe("signed_in");
    // The stranger's own client stays blocked, even with the right password.
    expect(strangerOutcomes.slice(10)).toEqual(Array(5).fill(SIGN_IN_RATE_LIMITED));
    expect(await attempt(email, PASSWORD, { "x-veridesk-peer": stranger })).toBe(SIGN_IN_RATE_LIMITED);
  });

  it("many clients together throttle strangers, but the owner's clean client with the right password gets in", async () => {
    const email = await makeAccount();
    const clients = Array.from({ length: 4 }, address);
    for (const client of clients) for (let i = 0; i < 8; i++) await wrong(email, client); // 32 failures > 30
    expect(await wrong(email, address())).toBe(SIGN_IN_RATE_LIMITED);
    expect(await attempt(email, PASSWORD, { "x-veridesk-peer": clients[0]! })).toBe(SIGN_IN_RATE_LIMITED);
    expect(await attempt(email, PASSWORD, { "x-veridesk-peer": address() })).toBe("signed_in");
  });

  it("locks the account for everyone after 100 consecutive failures until a password reset lifts it", async () => {
    const { SIGN_IN_ACCOUNT_LOCKED } = await import("@/features/accounts/sign-in/credentials");
    const { clearSignInLock } = await import("@/features/accounts/sign-in/sign-in-limits");
    const email = await makeAccount();
    let failures = 0;
    for (let client = 0; failures < 100; client++) {
      const peer = address();
      for (let i = 0; i < 9 && failures < 100; i++, failures++) await wrong(email, peer);
    }
    expect(await attempt(email, PASSWORD, { "x-veridesk-peer": address() })).toBe(SIGN_IN_ACCOUNT_LOCKED);
    expect(await wrong(email, address())).toBe(SIGN_IN_ACCOUNT_LOCKED);
    await clearSignInLock(email);
    expect(await attempt(email, PASSWORD, { "x-veridesk-peer": address() })).toBe("signed_in");
  }, 60_000);

  it("a successful sign-in ends the run of consecutive failures", async () => {
    const email = await makeAccount();
    for (let i = 0; i < 9; i++) await wrong(email, address());
    expect(await attempt(email, PASSWORD, { "x-veridesk-peer": address() })).toBe("signed_in");
    const row = await db.rateLimitCounter.findUnique({ where: { key: `sign-in-failures:consecutive:${email}` } });
    expect(row).toBeNull();
  });
});
