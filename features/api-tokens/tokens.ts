import "server-only";
import type { z } from "zod";
import type { createApiTokenSchema } from "@/features/api-tokens/schemas";
import { generateApiToken } from "@/platform/auth/api-tokens";
import { recordAudit } from "@/platform/audit";
import { db } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";

/** Issuing, listing and revoking API tokens (admin). The guard's apiRoute authenticates them. */

type Admin = { userId: string; role: "admin" | "supervisor" | "agent" | "customer" };

const DAY_MS = 86_400_000;

/** Makes a token; the clear token is in the answer once and never again. */
export async function createApiToken(input: z.output<typeof createApiTokenSchema>, admin: Admin, ip: string, now: Date = new Date()) {
  const { token, prefix, tokenHash } = generateApiToken();
  const expiresAt = input.lifetime === "never" ? null : new Date(now.getTime() + Number(input.lifetime) * DAY_MS);
  const created = await db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { name: input.name, prefix, tokenHash, scopes: input.scopes, createdById: admin.userId, expiresAt, createdAt: now },
    });
    await recordAudit(
      {
        action: "api_token.created",
        actor: admin,
        subjectType: "api_token",
        subjectId: row.id,
        ip,
        details: { scopes: input.scopes, expiresAt: expiresAt?.toISOString() ?? null },
      },
      tx,
    );
    return row;
  });
  return { id: created.id, token, prefix, message: `Token “${input.name}” created. Copy it now: it is shown only once.` };
}

export async function revokeApiToken(tokenId: string, admin: Admin, ip: string, now: Date = new Date()) {
  return db.$transaction(async (tx) => {
    const revoked = await tx.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: now, revokedById: admin.userId } });
    if (revoked.count === 0) {
      const exists = await tx.apiToken.findUnique({ where: { id: tokenId }, select: { name: true } });
      if (!exists) throw new DomainError("There is no such token.", "not_found");
      throw new DomainError(`Token “${exists.name}” was already revoked.`, "conflict");
    }
    await recordAudit({ action: "api_token.revoked", actor: admin, subjectType: "api_token", subjectId: tokenId, ip }, tx);
    const { name } = await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: { name: true } });
    return { message: `Token “${name}” revoked: requests with it are refused from now on.` };
  });
}

export type ApiTokenListItem = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Every token, live ones first, newest first; with who made it. */
export async function listApiTokens(): Promise<ApiTokenListItem[]> {
  const rows = await db.apiToken.findMany({ orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }], take: 200 });
  const creators = new Map(
    (
      await db.user.findMany({ where: { id: { in: rows.flatMap((row) => (row.createdById ? [row.createdById] : [])) } }, select: { id: true, name: true } })
    ).map((user) => [user.id, user.name]),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt,
    createdBy: row.createdById ? (creators.get(row.createdById) ?? null) : null,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  }));
}
