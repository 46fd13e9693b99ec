"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { requeueForSupervisor } from "./requeue";
import { requeueInputSchema } from "./schemas";

export const requeueFailedMessagesAction = authorizedAction("supervisor", requeueInputSchema, async (input, actor) =>
  requeueForSupervisor(actor, input, await requestIp()),
);
