import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// REQUIRE_STAFF_TWO_FACTOR on: a person who has just accepted a staff invitation is sent to set up
// two-factor sign-in before their first staff page (the guard's rule, applied to the new account).
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

const { requirePageActor, TWO_FACTOR_SETUP_PATH } = await import("@/platform/auth/guard");
const { createAuthSession } = await import("@/platform/auth/sessions");
const { db } = await import("@/platform/db/client");
const { acceptInvitation, inviteStaff } = await import("@/features/staff/invitations");
const { openSealedText } = await import("@/platform/outbox/sealed");

describe("an accepted invitation under REQUIRE_STAFF_TWO_FACTOR", () => {
  it("gives an account that must set up two-factor sign-in before any staff page; with it set up, it gets in", async () => {
    const admin = await db.user.create({ data: { email: `${randomUUID()}@staff.test`, name: "Ada", role: "admin" } });
    const email = `new-${randomUUID().slice(0, 8)}@staff.test`;
    await inviteStaff({ name: "Nico New", email, role: "agent" }, { userId: admin.id, role: "admin" }, null);
    const message = await db.outboxMessage.findFirstOrThrow({ where: { recipient: email } });
    const token = /\/invitation\?token=([A-Za-z0-9_-]+)/.exec(openSealedText(message.textBody!))![1]!;
    expect(await acceptInvitation({ token, password: "granite-willow-ferry-33", ip: null })).toMatchObject({ ok: true });

    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.twoFactorMethod).toBeNull();
    state.sessionId = await createAuthSession(user.id, {});
    await expect(requirePageActor("console")).rejects.toMatchObject({ to: TWO_FACTOR_SETUP_PATH });
    await expect(requirePageActor("account")).resolves.toMatchObject({ userId: user.id });

    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "totp" } });
    await expect(requirePageActor("console")).resolves.toMatchObject({ userId: user.id, role: "agent" });
  });
});
