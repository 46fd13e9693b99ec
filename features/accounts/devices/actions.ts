"use server";

import "server-only";

import { z } from "zod";
import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { forgetDevice, signOutEverywhereElse, signOutSession } from "@/features/accounts/devices/known-devices";
import { forgetDeviceSchema, signOutSessionSchema } from "@/features/accounts/devices/schemas";

// One's own sessions and browsers only: the services match them on the actor's user id, and audit each.

export const signOutSessionAction = authorizedAction("account", signOutSessionSchema, async (input, actor) =>
  signOutSession({ userId: actor.userId, role: actor.role, sessionId: actor.sessionId, ip: await requestIp() }, input.sessionId),
);

export const forgetDeviceAction = authorizedAction("account", forgetDeviceSchema, async (input, actor) =>
  forgetDevice({ userId: actor.userId, role: actor.role, sessionId: actor.sessionId, ip: await requestIp() }, input.deviceId),
);

export const signOutEverywhereElseAction = authorizedAction("account", z.object({}), async (_input, actor) =>
  signOutEverywhereElse({ userId: actor.userId, role: actor.role, sessionId: actor.sessionId, ip: await requestIp() }),
);
