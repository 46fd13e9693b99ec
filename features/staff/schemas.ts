import { z } from "zod";

/** Roles an administrator can give on /admin/staff: staff only (customers are never made staff here, nor staff customers). */
export const STAFF_ROLES = ["agent", "supervisor", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The "Change role" form's one schema (the form and the server action parse it). */
export const changeStaffRoleSchema = z.object({
  userId: z.uuid({ message: "That account reference is not valid." }),
  role: z.enum(STAFF_ROLES, { message: "Choose agent, supervisor or administrator." }),
});
export type ChangeStaffRoleInput = z.input<typeof changeStaffRoleSchema>;
