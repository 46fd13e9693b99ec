import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

// REQUIRE_STAFF_TWO_FACTOR on: staff without two-factor sign-in are sent to set it up before any
// staff page or action; the account area (where they set it up) and customers are not affected.
const state = vi.hoisted(() => ({ sessionId: null as string | null }));
vi.mock("next-auth", () => ({ getServerSession: vi.fn(async () => (state.sessionId ? { sessionId: state.sessionId } : null)) }));
vi.mock("next/server", () => ({ connection: vi.fn(async () => {}) }));
vi.mock("next/headers", () => ({ headers: vi.fn(async () => new Headers({ "x-veridesk-path": "/console" })) }));
vi.mock("next/navigation", () => ({
  redirect: vi.fn((to: string) => {
    throw Object.assign(new Error("NEXT_REDIRECT"), { to });
  }),
  forbidden: vi.fn(() => {
    throw new Error("NEXT_FORBIDDEN");
  }),
  notFound: vi.fn(() => {
    throw new Error("NEXT_NOT_FOUND");
  }),
}));
vi.mock("@/platform/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/platform/env")>();
  return { ...actual, serverEnv: () => ({ ...actual.serverEnv(), REQUIRE_STAFF_TWO_FACTOR: true }) };
});

const { authorizedAction, authorizedRoute, requirePageActor, TWO_FACTOR_SETUP_PATH } = await import("@/platform/auth/guard");
const { createAuthSession } = await import("@/platform/auth/sessions");
const { db } = await import("@/platform/db/client");

async function signInAs(role: "customer" | "agent" | "supervisor", twoFactorMethod: "totp" | null) {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.test`, name: "Staff", role, twoFactorMethod } });
  state.sessionId = await createAuthSession(user.id, {});
}

describe("REQUIRE_STAFF_TWO_FACTOR", () => {
  beforeEach(() => {
    state.sessionId = null;
  });

  it("sends staff without two-factor to set it up before the console, and lets them into their account", async () => {
    await signInAs("agent", null);
    await expect(requirePageActor("console")).rejects.toMatchObject({ to: TWO_FACTOR_SETUP_PATH });
    await expect(requirePageActor("account")).resolves.toMatchObject({ role: "agent" });
    const consoleAction = authorizedAction("console", z.object({}), async () => "ran");
    expect(await consoleAction({})).toMatchObject({ ok: false, code: "forbidden", error: expect.stringContaining("two-factor") });
    const route = authorizedRoute("console", async () => Response.json({}));
    expect((await route(new Request("http://localhost/api/x"), { params: Promise.resolve({}) })).status).toBe(403);
  });

  it("lets staff with two-factor in, and does not apply to customers", async () => {
    await signInAs("supervisor", "totp");
    await expect(requirePageActor("supervisor")).resolves.toMatchObject({ role: "supervisor" });
    await signInAs("customer", null);
    await expect(requirePageActor("portal")).resolves.toMatchObject({ role: "customer" });
  });
});
