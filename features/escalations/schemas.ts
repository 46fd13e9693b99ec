import { z } from "zod";
import { isUuid } from "@/platform/ids";
import { cleanText, isIsoInstant } from "@/platform/text/schemas";

/** One schema per input; the forms (react-hook-form) and the services parse the same ones. */

/** Reasons an agent can pick. sla_breached (and sla_at_risk, automatically) are raised by the SLA job too. */
export const MANUAL_ESCALATION_REASONS = ["identity_unverified", "customer_request", "sla_at_risk", "technical"] as const;
export type ManualEscalationReason = (typeof MANUAL_ESCALATION_REASONS)[number];

export const ESCALATION_REASON_LABEL = {
  identity_unverified: "Identity could not be verified",
  customer_request: "Customer request",
  sla_at_risk: "SLA at risk",
  sla_breached: "SLA breached",
  technical: "Technical",
} as const;

const ticketId = z.uuid({ message: "That ticket reference is not valid." });
const escalationId = z.uuid({ message: "That escalation reference is not valid." });

/** A required written explanation: trimmed, then at least `min` characters, at most 2000; one message per problem. */
const writtenReason = (emptyMessage: string, min = 1) => {
  const required = cleanText({ multiline: true, error: emptyMessage }).trim().min(1, { message: emptyMessage, abort: true });
  return (min > 1 ? required.min(min, { message: `${emptyMessage} (at least ${min} characters).` }) : required).max(2000, {
    message: "Keep it under 2,000 characters.",
  });
};

export const escalateTicketSchema = z.object({
  ticketId,
  reason: z.enum(MANUAL_ESCALATION_REASONS, { message: "Choose why you are escalating." }),
  note: writtenReason("Say why you are escalating"),
});
export type EscalateTicketInput = z.infer<typeof escalateTicketSchema>;

export const escalationRefSchema = z.object({ escalationId });

/**
 * Taking over another supervisor's claim names the claimer the supervisor saw: the change applies
 * only if they still hold it, so two take-overs (or a take-over racing their resolve) cannot both win.
 */
export const takeOverEscalationSchema = z.object({ escalationId, fromAssigneeId: z.uuid({ message: "That supervisor reference is not valid." }) });
export type TakeOverEscalationInput = z.infer<typeof takeOverEscalationSchema>;

export const resolveEscalationSchema = z.object({ escalationId, outcome: writtenReason("Write the outcome") });
export type ResolveEscalationInput = z.infer<typeof resolveEscalationSchema>;

export const reassignEscalationSchema = z.object({ escalationId, agentId: z.uuid({ message: "Choose who takes the ticket." }) });
export type ReassignEscalationInput = z.infer<typeof reassignEscalationSchema>;

export const deescalateSchema = z.object({ escalationId, reason: writtenReason("Say why this no longer needs a supervisor") });
export type DeescalateInput = z.infer<typeof deescalateSchema>;

/** Minimum length of an override reason: a written sentence, not "ok". */
export const OVERRIDE_REASON_MIN = 10;
export const overrideIdentityCheckSchema = z.object({
  ticketId,
  reason: writtenReason("Explain why you are overriding the identity check", OVERRIDE_REASON_MIN),
});
export type OverrideIdentityCheckInput = z.infer<typeof overrideIdentityCheckSchema>;

export const ESCALATION_QUEUE_FILTERS = ["unclaimed", "mine", "open"] as const;
export type EscalationQueueFilter = (typeof ESCALATION_QUEUE_FILTERS)[number];
export const escalationQueueFilterSchema = z.enum(ESCALATION_QUEUE_FILTERS).catch("open");

/**
 * Keyset position in the queue: the last row of the previous page as "<raisedAt ISO>_<id>". A
 * malformed value means the first page (a hand-edited URL is not an error worth a page).
 */
export const escalationQueueCursorSchema = z
  .string()
  .refine((value) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z_/.test(value) && isUuid(value.slice(25)) && isIsoInstant(value.slice(0, 24)))
  .transform((value) => {
    const [raisedAt, id] = value.split("_") as [string, string];
    return { raisedAt: new Date(raisedAt), id };
  })
  .refine((cursor) => !Number.isNaN(cursor.raisedAt.getTime()) && z.uuid().safeParse(cursor.id).success)
  .optional()
  .catch(undefined);
export type EscalationQueueCursor = { raisedAt: Date; id: string };
export const encodeEscalationQueueCursor = (cursor: EscalationQueueCursor) => `${cursor.raisedAt.toISOString()}_${cursor.id}`;
