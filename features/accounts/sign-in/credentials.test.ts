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

const address = () => `203.0.${randomInt(0, 255)}.${randomInt(1, 254)}`;
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
