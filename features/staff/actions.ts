"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { changeStaffRoleSchema } from "@/features/staff/schemas";
import { changeStaffRole } from "@/features/staff/roles";

export const changeStaffRoleAction = authorizedAction("admin", changeStaffRoleSchema, async (input, actor) => {
  const result = await changeStaffRole(input, { userId: actor.userId, role: actor.role }, await requestIp());
  return { message: result.message, userId: result.userId, role: result.to };
});
