"use server";

import "server-only";

import { startValidationSchema } from "@/features/data-quality/validation/schemas";
import { startValidationRun } from "@/features/data-quality/validation/run";
import { authorizedAction, requestIp } from "@/platform/auth/guard";

/** Starts a validation run of every contact (refused while one is going); audited. */
export const startValidation = authorizedAction("supervisor", startValidationSchema, async (_input, actor) =>
  startValidationRun({ userId: actor.userId, role: actor.role }, await requestIp()),
);
