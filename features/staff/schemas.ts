import { z } from "zod";
import { passwordSchema } from "@/features/accounts/password/password-policy";
import { emailAddressSchema } from "@/platform/email-address/email-address";
import { cleanText, secretText } from "@/platform/text/schemas";

/** Roles an administrator can give on /admin/staff: staff only (customers are never made staff here, nor staff customers). */
export const STAFF_ROLES = ["agent", "supervisor", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The "Change role" form's one schema (the form and the server action parse it). */
export const changeStaffRoleSchema = z.object({
  userId: z.uuid({ message: "That account reference is not valid." }),
  role: z.enum(STAFF_ROLES, { message: "Choose agent, supervisor or administrator." }),
});
export type ChangeStaffRoleInput = z.input<typeof changeStaffRoleSchema>;

const accountId = z.uuid({ message: "That account reference is not valid." });
const invitationId = z.uuid({ message: "That invitation reference is not valid." });

/** The "Invite a person" form on /admin/staff. */
export const inviteStaffSchema = z.object({
  name: cleanText({ error: "Enter their name." }).trim().min(1, { message: "Enter their name." }).max(120, { message: "Keep the name under 120 characters." }),
  email: emailAddressSchema({ required: "Enter their email address.", tooLong: "That email address is too long." }),
  role: z.enum(STAFF_ROLES, { message: "Choose agent, supervisor or administrator." }),
});
export type InviteStaffInput = z.input<typeof inviteStaffSchema>;

/** Resend (new link, the old one dies) or revoke a pending invitation: the same one field. */
export const invitationActionSchema = z.object({ invitationId });
export type InvitationActionInput = z.input<typeof invitationActionSchema>;

/** Deactivate a staff account (after the confirm step) or reactivate it. */
export const staffAccountSchema = z.object({ userId: accountId });
export type StaffAccountInput = z.input<typeof staffAccountSchema>;

/** The public "accept invitation" form: the token from the link, and the new password twice. */
export const acceptInvitationSchema = z
  .object({
    token: cleanText().min(1, { message: "This link is not complete." }).max(512),
    password: passwordSchema,
    confirmPassword: secretText().min(1, { message: "Type the password again." }),
  })
  .superRefine((values, ctx) => {
    if (values.password !== values.confirmPassword) ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The two passwords are not the same." });
  });
export type AcceptInvitationInput = z.input<typeof acceptInvitationSchema>;
