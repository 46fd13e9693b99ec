"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { createApiTokenSchema, revokeApiTokenSchema } from "@/features/api-tokens/schemas";
import { createApiToken, revokeApiToken } from "@/features/api-tokens/tokens";

export const createApiTokenAction = authorizedAction("admin", createApiTokenSchema, async (input, actor) =>
  createApiToken(input, { userId: actor.userId, role: actor.role }, await requestIp()),
);

export const revokeApiTokenAction = authorizedAction("admin", revokeApiTokenSchema, async (input, actor) =>
  revokeApiToken(input.tokenId, { userId: actor.userId, role: actor.role }, await requestIp()),
);
