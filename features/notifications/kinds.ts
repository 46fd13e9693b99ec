import type { NotificationKind, Role } from "@/platform/db/generated/prisma/enums";

/** The kinds of staff notification, their names on the account page, and who can receive each. Client-safe. */

export const NOTIFICATION_KINDS = ["ticket_assigned", "customer_replied", "escalation_raised", "sla_breached"] as const satisfies readonly NotificationKind[];

export const KIND_LABEL: Record<NotificationKind, string> = {
  ticket_assigned: "A ticket is assigned to me",
  customer_replied: "A customer replies on a ticket assigned to me",
  escalation_raised: "A ticket is escalated to the supervisors",
  sla_breached: "A ticket misses its SLA target",
};

/** Which roles receive each kind (escalations and SLA breaches go to supervisors and admins). */
const RECEIVERS: Record<NotificationKind, readonly Role[]> = {
  ticket_assigned: ["agent", "supervisor", "admin"],
  customer_replied: ["agent", "supervisor", "admin"],
  escalation_raised: ["supervisor", "admin"],
  sla_breached: ["supervisor", "admin"],
};

export const SUPERVISOR_ROLES: readonly Role[] = ["supervisor", "admin"];

export function kindsFor(role: Role): NotificationKind[] {
  return NOTIFICATION_KINDS.filter((kind) => RECEIVERS[kind].includes(role));
}
