/** The events an endpoint can subscribe to (issue 14), with the words the admin page shows. Client-safe. */
export const WEBHOOK_EVENTS = [
  { type: "ticket.created", label: "A ticket was created" },
  { type: "ticket.updated", label: "A ticket's status, priority or assignee changed" },
  { type: "message.created", label: "A reply or note was added to a ticket" },
  { type: "identity.verified", label: "A requester's identity was verified (caller code, check)" },
  { type: "identity.check_failed", label: "An identity check failed" },
  { type: "identity.override", label: "A supervisor overrode a verification" },
  { type: "escalation.raised", label: "An escalation was raised" },
  { type: "escalation.resolved", label: "An escalation was resolved" },
  { type: "customer.merged", label: "Two customer records were merged" },
  { type: "sla.breached", label: "An SLA target was missed" },
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]["type"];
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENTS.map((event) => event.type);
