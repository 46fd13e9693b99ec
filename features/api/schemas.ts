import { z } from "zod";
import {
  CHANNEL_FILTERS,
  ENTITLEMENT_FILTERS,
  IDENTITY_BADGES,
  IDENTITY_FILTERS,
  PRIORITY_FILTERS,
  QUEUE_SORTS,
  SEARCH_MAX_LENGTH,
  STATUS_FILTERS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from "@/features/tickets/queue/schemas";
import { cleanText } from "@/platform/text/schemas";

/**
 * The public REST API's inputs and outputs (/api/v1): ONE zod schema each, used by the handlers to
 * validate and by features/api/openapi.ts to write the OpenAPI document, so the contract and the
 * behaviour cannot drift apart. Unlike the queue page (which falls back to defaults for a
 * hand-edited link), the API refuses a bad value with a 422 naming the parameter.
 */

export const API_PAGE_SIZE_MAX = 100;
export const API_PAGE_SIZE_DEFAULT = 25;

const cursor = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+$/, "Not a cursor: pass `page.next` of the previous page unchanged.");

export const ticketIdParamsSchema = z.object({
  id: z.uuid("Ticket ids are UUIDs.").meta({ description: "The ticket's id (a UUID)." }),
});

export const listTicketsQuerySchema = z.object({
  "page[size]": z.coerce
    .number("A whole number from 1 to 100.")
    .int("A whole number from 1 to 100.")
    .min(1, "A whole number from 1 to 100.")
    .max(API_PAGE_SIZE_MAX, "At most 100 tickets per page.")
    .default(API_PAGE_SIZE_DEFAULT)
    .meta({ description: "Tickets per page, 1–100 (default 25)." }),
  "page[after]": cursor.optional().meta({ description: "The `page.next` cursor of the previous page." }),
  status: z.enum(STATUS_FILTERS).default("active").meta({ description: "`active` = new, open, pending and on hold (the default); `all` = every status." }),
  priority: z.enum(PRIORITY_FILTERS).default("any"),
  channel: z.enum(CHANNEL_FILTERS).default("any"),
  identity: z.enum(IDENTITY_FILTERS).default("any").meta({ description: "Only tickets whose requester's identity status is this." }),
  entitlement: z.enum(ENTITLEMENT_FILTERS).default("any").meta({ description: "`valid`: the customer has an agreement valid today; `none`: not." }),
  assignee: z.enum(["anyone", "unassigned"]).default("anyone"),
  sort: z.enum(QUEUE_SORTS).default("updated").meta({ description: "`updated` (last activity, newest first), `oldest`, `newest`, `priority`." }),
  q: cleanText()
    .trim()
    .max(SEARCH_MAX_LENGTH, `At most ${SEARCH_MAX_LENGTH} characters.`)
    .optional()
    .meta({ description: "Full-text search over subject, messages and the requester's name and address." }),
});
export type ListTicketsQuery = z.output<typeof listTicketsQuerySchema>;

const isoDateTime = z.iso.datetime({ offset: true }).meta({ description: "RFC 3339 date-time, UTC." });

export const identityStatusSchema = z.enum(IDENTITY_BADGES).meta({
  id: "IdentityStatus",
  description: "How far the requester is proven to be who the ticket says, derived from evidence at the time of the request.",
});

export const ticketSchema = z
  .object({
    id: z.uuid(),
    number: z.int().meta({ description: "The ticket number shown to people (VD-<number>)." }),
    subject: z.string(),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    channel: z.enum(TICKET_CHANNELS),
    requester: z.object({ name: z.string().nullable(), address: z.string().nullable().meta({ description: "Email address or phone number." }) }),
    customerId: z.uuid().nullable(),
    assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    identity: z.object({ status: identityStatusSchema, explanation: z.string() }),
    entitlement: z.object({ tier: z.enum(["basic", "standard", "premium"]).nullable() }).meta({ description: "The best agreement tier valid today, or null." }),
    createdAt: isoDateTime,
    lastActivityAt: isoDateTime,
  })
  .meta({ id: "Ticket" });
export type ApiTicket = z.output<typeof ticketSchema>;

export const ticketListSchema = z
  .object({
    data: z.array(ticketSchema),
    page: z.object({
      size: z.int(),
      next: z.string().nullable().meta({ description: "Pass as `page[after]` for the next page; null on the last page." }),
    }),
  })
  .meta({ id: "TicketList" });

const deliverability = z.enum(["unknown", "delivering", "bouncing", "complained"]);

export const ticketIdentitySchema = z
  .object({
    ticketId: z.uuid(),
    status: identityStatusSchema,
    explanation: z.string(),
    requesterAddress: z.string().nullable(),
    addressStanding: z.enum(["primary", "alias", "other_customer", "unknown", "none"]).meta({
      description: "Where the address the request came from stands against the matched customer's record.",
    }),
    addressDeliverability: deliverability.nullable(),
    account: z
      .object({ emailVerified: z.boolean(), phoneVerified: z.boolean(), twoFactor: z.boolean() })
      .nullable()
      .meta({ description: "The requester's portal account's proofs, if they have an account." }),
    customer: z
      .object({
        id: z.uuid(),
        name: z.string(),
        accountNumber: z.string(),
        emails: z.array(
          z.object({
            address: z.string().meta({ description: "Masked (a•••@example.com): the full address needs customers:read." }),
            isPrimary: z.boolean(),
            verified: z.boolean(),
            deliverability,
          }),
        ),
        phones: z.array(z.object({ e164: z.string().meta({ description: "Masked (+44 •••• •••987)." }), kind: z.string(), verified: z.boolean() })),
      })
      .nullable(),
    entitlement: z
      .object({
        status: z.enum(["valid", "expired", "cancelled", "none"]),
        tier: z.enum(["basic", "standard", "premium"]).nullable(),
        endsOn: z.iso.date().nullable(),
      })
      .nullable(),
    currentCheck: z
      .object({ method: z.string(), outcome: z.enum(["passed", "overridden"]), at: isoDateTime, expiresAt: isoDateTime })
      .nullable()
      .meta({ description: "The identity check that counts for this conversation now, if any." }),
  })
  .meta({ id: "TicketIdentity" });
export type ApiTicketIdentity = z.output<typeof ticketIdentitySchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });
