"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { changeStaffRoleSchema, invitationActionSchema, inviteStaffSchema, staffAccountSchema } from "@/features/staff/schemas";
import { changeStaffRole } from "@/features/staff/roles";
import { inviteStaff, resendInvitation, revokeInvitation } from "@/features/staff/invitations";
import { deactivateStaff, reactivateStaff } from "@/features/staff/lifecycle";

const admin = (actor: { userId: string; role: "customer" | "agent" | "supervisor" | "admin" }) => ({ userId: actor.userId, role: actor.role });

export const changeStaffRoleAction = authorizedAction("admin", changeStaffRoleSchema, async (input, actor) => {
  const result = await changeStaffRole(input, admin(actor), await requestIp());
  return { message: result.message, userId: result.userId, role: result.to };
});

export const inviteStaffAction = authorizedAction("admin", inviteStaffSchema, async (input, actor) => {
  const result = await inviteStaff(input, admin(actor), await requestIp());
  return { message: result.message };
});

export const resendInvitationAction = authorizedAction("admin", invitationActionSchema, async (input, actor) => {
  const result = await resendInvitation(input.invitationId, admin(actor), await requestIp());
  return { message: result.message };
});

export const revokeInvitationAction = authorizedAction("admin", invitationActionSchema, async (input, actor) => {
  return revokeInvitation(input.invitationId, admin(actor), await requestIp());
});

export const deactivateStaffAction = authorizedAction("admin", staffAccountSchema, async (input, actor) => {
  const result = await deactivateStaff(input.userId, admin(actor), await requestIp());
  return { message: result.message };
});

export const reactivateStaffAction = authorizedAction("admin", staffAccountSchema, async (input, actor) => {
  const result = await reactivateStaff(input.userId, admin(actor), await requestIp());
  return { message: result.message };
});
