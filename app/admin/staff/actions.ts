"use server";

import { authorizedAction, requestIp } from "@/lib/auth/guard";
import { changeStaffRoleSchema } from "@/lib/staff/role-schema";
import { changeStaffRole } from "@/lib/staff/roles";

export const changeStaffRoleAction = authorizedAction("admin", changeStaffRoleSchema, async (input, actor) => {
  const result = await changeStaffRole(input, { userId: actor.userId, role: actor.role }, await requestIp());
  return { message: result.message, userId: result.userId, role: result.to };
});
