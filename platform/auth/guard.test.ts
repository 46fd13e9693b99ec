import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

// The guard reads the session cookie through next-auth and the request headers through Next;
// both are replaced by a controllable session id. Everything behind them is real.
const sessionState = vi.hoisted(() => ({ sessionId: null as string | null }));
vi.mock("next-auth", () => ({ getServerSession: vi.fn(async () => (sessionState.sessionId ? { sessionId: sessionState.sessionId } : null)) }));
vi.mock("next/server", () => ({ connection: vi.fn(async () => {}) }));
vi.mock("next/headers", () => ({ headers: vi.fn(async () => new Headers({ "x-veridesk-path": "/console?x=1", "x-veridesk-peer": "203.0.113.9" })) }));
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

const { authorizedAction, authorizedRoute, requirePageActor, requirePendingSecondFactor, secondFactorAction, ActionError } = await import(
  "@/platform/auth/guard"
);
const { completeSecondFactor, createAuthSession } = await import("@/platform/auth/sessions");
const { db } = await import("@/platform/db/client");

async function signInAs(role: "customer" | "agent" | "supervisor" | "admin") {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.test`, name: `A ${role}`, role } });
  sessionState.sessionId = await createAuthSession(user.id, {});
  return user;
}

const supervisorOnly = authorizedAction("supervisor", z.object({ reason: z.string().min(3, "Give a reason.") }), async (input, actor) => ({
  by: actor.role,
  reason: input.reason,
}));

describe("requirePageActor", () => {
  beforeEach(() => {
    sessionState.sessionId = null;
  });

  it("sends an anonymous visitor to sign-in with the page to return to", async () => {
    await expect(requirePageActor("console")).rejects.toMatchObject({ to: "/signin?callbackUrl=%2Fconsole%3Fx%3D1" });
  });

  it("refuses a customer on staff pages and records the attempt", async () => {
    const customer = await signInAs("customer");
    await expect(requirePageActor("console")).rejects.toThrow("NEXT_FORBIDDEN");
    await expect(requirePageActor("supervisor")).rejects.toThrow("NEXT_FORBIDDEN");
    const denied = await db.auditEvent.findFirst({ where: { action: "auth.access_denied", actorUserId: customer.id } });
    expect(denied?.ip).toBe("203.0.113.9");
  });

  it("lets an agent into the console but not the supervisor area or the portal", async () => {
    await signInAs("agent");
    await expect(requirePageActor("console")).resolves.toMatchObject({ role: "agent" });
    await expect(requirePageActor("supervisor")).rejects.toThrow("NEXT_FORBIDDEN");
    await expect(requirePageActor("portal")).rejects.toThrow("NEXT_FORBIDDEN");
  });

  it("lets a supervisor into the console and the supervisor area", async () => {
    await signInAs("supervisor");
    await expect(requirePageActor("console")).resolves.toMatchObject({ role: "supervisor" });
    await expect(requirePageActor("supervisor")).resolves.toMatchObject({ role: "supervisor" });
  });

  it("lets a customer into the portal", async () => {
    await signInAs("customer");
    await expect(requirePageActor("portal")).resolves.toMatchObject({ role: "customer" });
  });
});

describe("authorizedAction", () => {
  it("answers anonymous callers without running the handler", async () => {
    sessionState.sessionId = null;
    expect(await supervisorOnly({ reason: "because" })).toEqual({ ok: false, code: "unauthenticated", error: expect.any(String) });
  });

  it("refuses roles outside the area", async () => {
    await signInAs("agent");
    expect(await supervisorOnly({ reason: "because" })).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("validates input with the schema and reports field errors", async () => {
    await signInAs("supervisor");
    expect(await supervisorOnly({ reason: "" })).toMatchObject({ ok: false, code: "invalid", fieldErrors: { reason: ["Give a reason."] } });
  });

  it("refuses text PostgreSQL cannot store before any schema runs, naming the field (issue 16)", async () => {
    await signInAs("supervisor");
    // A plain z.string() lets these through; the guard's net does not.
    for (const reason of ["be\u0000cause", "half \ud83d an emoji"]) {
      expect(await supervisorOnly({ reason })).toMatchObject({
        ok: false,
        code: "invalid",
        fieldErrors: { reason: [expect.stringContaining("cannot be stored")] },
      });
    }
    expect(await supervisorOnly({ reason: "because", extra: ["\u0000"] } as never)).toMatchObject({
      ok: false,
      code: "invalid",
      fieldErrors: { extra: expect.any(Array) },
    });
  });

  it("answers retryable, not an error, when the database times out or loses a race", async () => {
    await signInAs("admin");
    const timedOut = authorizedAction("console", z.object({}), async () => {
      throw Object.assign(new Error("Transaction API error: Transaction already closed: the timeout for this transaction was 5000 ms"), { code: "P2028" });
    });
    expect(await timedOut({})).toMatchObject({ ok: false, code: "retryable", error: expect.stringContaining("nothing was saved") });
    const broken = authorizedAction("console", z.object({}), async () => {
      throw new Error("a bug");
    });
    await expect(broken({})).rejects.toThrow("a bug");
  });

  it("runs the handler for an allowed role and turns ActionError into a clear answer", async () => {
    await signInAs("admin");
    expect(await supervisorOnly({ reason: "because" })).toEqual({ ok: true, data: { by: "admin", reason: "because" } });
    const failing = authorizedAction("console", z.object({}), async () => {
      throw new ActionError("That ticket does not exist.", "not_found");
    });
    expect(await failing({})).toEqual({ ok: false, code: "not_found", error: "That ticket does not exist.", fieldErrors: undefined });
  });

  it("turns a service's DomainError into the same answer, field errors included, and lets other errors through", async () => {
    await signInAs("admin");
    const { DomainError } = await import("@/platform/errors");
    const refused = authorizedAction("console", z.object({}), async () => {
      throw new DomainError("That title is taken.", "conflict", { title: ["That title is taken."] });
    });
    expect(await refused({})).toEqual({ ok: false, code: "conflict", error: "That title is taken.", fieldErrors: { title: ["That title is taken."] } });
    expect(new ActionError("x")).toBeInstanceOf(DomainError);
    const broken = authorizedAction("console", z.object({}), async () => {
      throw new Error("database down");
    });
    await expect(broken({})).rejects.toThrow("database down");
  });

  it("stops working once the session is revoked", async () => {
    await signInAs("supervisor");
    await db.authSession.update({ where: { id: sessionState.sessionId! }, data: { revokedAt: new Date() } });
    expect(await supervisorOnly({ reason: "because" })).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});

describe("authorizedRoute", () => {
  const route = authorizedRoute("console", async (_request, actor) => Response.json({ role: actor.role }));
  const call = () => route(new Request("http://localhost/api/x"), { params: Promise.resolve({}) });

  it("answers 401, 403 and 200 by role", async () => {
    sessionState.sessionId = null;
    expect((await call()).status).toBe(401);
    await signInAs("customer");
    expect((await call()).status).toBe(403);
    await signInAs("agent");
    const ok = await call();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ role: "agent" });
  });
});

describe("the sign-in's second step", () => {
  async function pendingSignIn() {
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.test`, name: "Two Factor", role: "customer", twoFactorMethod: "totp" } });
    sessionState.sessionId = await createAuthSession(user.id, { secondFactorDue: true });
    return user;
  }
  const whoIsPending = secondFactorAction(z.object({ code: z.string().min(1, "Enter the code.") }), async (input, pending) => ({
    userId: pending.userId,
    code: input.code,
    ip: pending.ip,
  }));

  it("sends a pending session from any guarded page to the second-factor page, and back afterwards", async () => {
    await pendingSignIn();
    await expect(requirePageActor("portal")).rejects.toMatchObject({ to: "/signin/second-factor?callbackUrl=%2Fconsole%3Fx%3D1" });
  });

  it("lets only a pending session onto the second-factor page", async () => {
    const user = await pendingSignIn();
    await expect(requirePendingSecondFactor("/portal")).resolves.toMatchObject({ userId: user.id });
    await completeSecondFactor(sessionState.sessionId!);
    await expect(requirePendingSecondFactor("/portal")).rejects.toMatchObject({ to: "/after-sign-in?callbackUrl=%2Fportal" });
    sessionState.sessionId = null;
    await expect(requirePendingSecondFactor("https://evil.example")).rejects.toMatchObject({ to: "/signin?callbackUrl=%2F" });
  });

  it("runs second-factor actions only for a pending session", async () => {
    const user = await pendingSignIn();
    expect(await whoIsPending({ code: "" })).toMatchObject({ ok: false, code: "invalid" });
    expect(await whoIsPending({ code: "123456" })).toEqual({ ok: true, data: { userId: user.id, code: "123456", ip: "203.0.113.9" } });
    // A complete session is not "pending": the action refuses it like an anonymous call.
    await completeSecondFactor(sessionState.sessionId!);
    expect(await whoIsPending({ code: "123456" })).toMatchObject({ ok: false, code: "unauthenticated" });
    sessionState.sessionId = null;
    expect(await whoIsPending({ code: "123456" })).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("refuses ordinary actions to a pending session", async () => {
    await pendingSignIn();
    expect(await supervisorOnly({ reason: "because" })).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});
