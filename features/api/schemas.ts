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
import { DEFAULT_PHONE_REGION } from "@/features/accounts/registration/schemas";
import { addressField, PHONE_KINDS, phoneFields, updateProfileSchema, withE164 } from "@/features/customers/contacts/schemas";
import { AGREEMENT_TIERS, addAgreementSchema, cancelAgreementSchema, DIRECTORY_SORTS, extendAgreementSchema } from "@/features/customers/schemas";
import { escalateTicketSchema } from "@/features/escalations/schemas";
import { isSendableAddress } from "@/platform/email-address/email-address";
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

// ───────────── Writes ─────────────

const E164 = /^\+[1-9]\d{6,14}$/;
const REQUESTER_ADDRESS_MESSAGE = "An email address (name@example.com) or a phone number in E.164 form (+447700900123).";

const ticketSubject = cleanText()
  .trim()
  .min(3, "At least 3 characters.")
  .max(200, "At most 200 characters.")
  .meta({ description: "The ticket's subject, 3–200 characters." });
const messageBody = cleanText({ multiline: true })
  .trim()
  .min(1, "Write a message first.")
  .max(20_000, "At most 20,000 characters.")
  .meta({ description: "Plain text, at most 20,000 characters." });

export const createTicketBodySchema = z
  .strictObject(
    {
      customerId: z.uuid("Customer ids are UUIDs.").meta({ description: "The customer the ticket is for." }),
      requesterUserId: z
        .uuid("User ids are UUIDs.")
        .optional()
        .meta({ description: "The customer's portal account that asked (its address and name become the requester's)." }),
      requesterAddress: cleanText()
        .trim()
        .max(254, REQUESTER_ADDRESS_MESSAGE)
        .refine((value) => isSendableAddress(value) || E164.test(value), REQUESTER_ADDRESS_MESSAGE)
        .optional()
        .meta({
          description:
            "The email address or phone number the request came from, exactly as received: evidence for the identity status. " +
            "Omit both requester fields when the requester is not known (a call): the acknowledgement goes to the customer's primary address.",
        }),
      subject: ticketSubject,
      body: messageBody.meta({ description: "The request in the customer's words: the ticket's first message." }),
      channel: z.enum(TICKET_CHANNELS, "One of web, email, phone, chat.").meta({ description: "How the customer contacted you." }),
      priority: z.enum(TICKET_PRIORITIES, "One of low, normal, high, urgent.").default("normal"),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `Not a field of this request: ${issue.keys.join(", ")}.` : undefined) },
  )
  .refine((value) => !(value.requesterUserId && value.requesterAddress), {
    message: "Give the requester's portal account or their address, not both.",
    path: ["requesterAddress"],
  })
  .meta({ id: "CreateTicket" });
export type CreateTicketBody = z.output<typeof createTicketBodySchema>;

export const updateTicketBodySchema = z
  .strictObject(
    {
      status: z.enum(TICKET_STATUSES, "One of new, open, pending, on_hold, solved, closed.").optional(),
      priority: z.enum(TICKET_PRIORITIES, "One of low, normal, high, urgent.").optional(),
      assigneeId: z.uuid("User ids are UUIDs.").nullable().optional().meta({ description: "An active staff member's user id, or null to unassign." }),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `Not a field of this request: ${issue.keys.join(", ")}.` : undefined) },
  )
  .refine((value) => value.status !== undefined || value.priority !== undefined || value.assigneeId !== undefined, {
    message: "Nothing to change: give status, priority or assigneeId.",
  })
  .meta({ id: "UpdateTicket", description: "Only the fields given change. Status moves follow the agents' rules (a ticket never goes back to new)." });
export type UpdateTicketBody = z.output<typeof updateTicketBodySchema>;

export const MESSAGE_KINDS = ["public_reply", "internal_note"] as const;

export const createMessageBodySchema = z
  .strictObject(
    {
      kind: z.enum(MESSAGE_KINDS, "public_reply or internal_note.").meta({
        description: "`public_reply` is emailed to the requester (through the outbox) and shown in the portal; `internal_note` only to staff.",
      }),
      body: messageBody,
      thenStatus: z
        .enum(["pending", "solved"], "After a reply a ticket can be set to pending or solved.")
        .optional()
        .meta({ description: "Public replies only: set the ticket pending or solved in the same step." }),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `Not a field of this request: ${issue.keys.join(", ")}.` : undefined) },
  )
  .refine((value) => !(value.kind === "internal_note" && value.thenStatus), { message: "Only a public reply can set the status.", path: ["thenStatus"] })
  .meta({ id: "CreateMessage" });
export type CreateMessageBody = z.output<typeof createMessageBodySchema>;

export const messageSchema = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    kind: z.enum(MESSAGE_KINDS),
    body: z.string(),
    emailedTo: z.string().nullable().meta({ description: "Where a public reply was sent (queued in the outbox), or null." }),
    notEmailedBecause: z.string().nullable().meta({ description: "Why a public reply was not emailed, or null." }),
    ticketStatus: z.enum(TICKET_STATUSES).meta({ description: "The ticket's status after this message." }),
    createdAt: isoDateTime,
  })
  .meta({ id: "Message" });
export type ApiMessage = z.output<typeof messageSchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

// ───────────── Customers, agreements, escalations ─────────────
// Inputs build on the console's own schemas (the contact editor's, the agreement forms', the
// escalation form's), so the API and the agents' pages accept exactly the same values.

const refuseUnknownKeys = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === "unrecognized_keys" ? `Not a field of this request: ${issue.keys?.join(", ")}.` : undefined,
};

export const customerIdParamsSchema = z.object({
  id: z.uuid("Customer ids are UUIDs.").meta({ description: "The customer's id (a UUID)." }),
});
export const customerEmailParamsSchema = z.object({
  id: z.uuid("Customer ids are UUIDs.").meta({ description: "The customer's id (a UUID)." }),
  emailId: z.uuid("Address ids are UUIDs.").meta({ description: "The address's id (from the customer's `emails`)." }),
});
export const customerPhoneParamsSchema = z.object({
  id: z.uuid("Customer ids are UUIDs.").meta({ description: "The customer's id (a UUID)." }),
  phoneId: z.uuid("Number ids are UUIDs.").meta({ description: "The number's id (from the customer's `phones`)." }),
});
export const agreementIdParamsSchema = z.object({
  id: z.uuid("Agreement ids are UUIDs.").meta({ description: "The agreement's id (a UUID)." }),
});

export const listCustomersQuerySchema = z.object({
  "page[size]": z.coerce
    .number("A whole number from 1 to 100.")
    .int("A whole number from 1 to 100.")
    .min(1, "A whole number from 1 to 100.")
    .max(API_PAGE_SIZE_MAX, "At most 100 customers per page.")
    .default(API_PAGE_SIZE_DEFAULT)
    .meta({ description: "Customers per page, 1–100 (default 25)." }),
  "page[after]": cursor.optional().meta({ description: "The `page.next` cursor of the previous page." }),
  q: cleanText()
    .trim()
    .min(2, "At least 2 characters: a name, an account number, an email address or a phone number.")
    .max(200, "At most 200 characters.")
    .optional()
    .meta({ description: "Search by name, account number, email address (any of the customer's) or phone number, as the customer directory does." }),
  sort: z.enum(DIRECTORY_SORTS).default("name").meta({ description: "`name` (A–Z, the default), `name_desc`, `newest`, `oldest`." }),
});
export type ListCustomersQuery = z.output<typeof listCustomersQuerySchema>;

const tier = z.enum(AGREEMENT_TIERS);
const agreementState = z.enum(["valid", "not_started", "expired", "cancelled"]);

export const agreementSchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    tier,
    startsOn: z.iso.date(),
    endsOn: z.iso.date().meta({ description: "The last day covered (inclusive)." }),
    state: agreementState.meta({ description: "What the agreement is today." }),
    cancelledAt: isoDateTime.nullable(),
    customerId: z.uuid().nullable().meta({ description: "The customer who holds it, or null when an organisation does." }),
    organisationId: z.uuid().nullable().meta({ description: "The organisation that holds it (it entitles every contact), or null." }),
  })
  .meta({ id: "Agreement" });
export type ApiAgreement = z.output<typeof agreementSchema>;

export const agreementListSchema = z
  .object({
    data: z.array(agreementSchema),
    entitlement: z.object({ status: z.enum(["valid", "expired", "cancelled", "none"]), tier: tier.nullable(), endsOn: z.iso.date().nullable() }),
  })
  .meta({ id: "AgreementList", description: "The customer's own agreements and their organisation's, latest-ending first, and the entitlement today." });

export const customerSchema = z
  .object({
    id: z.uuid(),
    name: z.string().nullable().meta({ description: "Null once the customer was erased." }),
    accountNumber: z.string(),
    organisation: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    mergedIntoId: z.uuid().nullable().meta({
      description: "Set on a record a merge absorbed: the survivor's id. Such a record is read-only (writes answer 409), as on the customer page.",
    }),
    erased: z.boolean(),
    emails: z.array(
      z.object({
        id: z.uuid(),
        address: z.string(),
        isPrimary: z.boolean(),
        verified: z.boolean(),
        deliverability: deliverability,
      }),
    ),
    phones: z.array(
      z.object({
        id: z.uuid(),
        e164: z.string(),
        kind: z.enum(PHONE_KINDS),
        verified: z.boolean(),
        deliverability: deliverability,
      }),
    ),
    agreements: z.array(agreementSchema),
    entitlement: z.object({ status: z.enum(["valid", "expired", "cancelled", "none"]), tier: tier.nullable(), endsOn: z.iso.date().nullable() }),
    identity: z
      .object({
        verifiedEmails: z.int(),
        verifiedPhones: z.int(),
        portalAccounts: z.array(
          z.object({ emailVerified: z.boolean(), phoneVerified: z.boolean(), twoFactor: z.boolean(), frozen: z.boolean(), disabled: z.boolean() }),
        ),
        lastCheck: z
          .object({ method: z.string(), outcome: z.string(), at: isoDateTime, expiresAt: isoDateTime })
          .nullable()
          .meta({ description: "The latest identity check of this customer (by a code, caller fields or a supervisor's override), if any." }),
      })
      .meta({ description: "The evidence the customer page's identity sections show: what is verified, the portal accounts' proofs, the latest check." }),
    createdAt: isoDateTime,
  })
  .meta({ id: "Customer" });
export type ApiCustomer = z.output<typeof customerSchema>;

export const customerListSchema = z
  .object({
    data: z.array(
      z
        .object({
          id: z.uuid(),
          name: z.string().nullable(),
          accountNumber: z.string(),
          organisation: z.object({ id: z.uuid(), name: z.string() }).nullable(),
          maskedPrimaryEmail: z.string().nullable().meta({ description: "Masked as in the directory; GET /customers/{id} has the addresses." }),
          agreement: z.enum(["valid", "expired", "cancelled", "none"]).meta({ description: "The best agreement's state today, as the directory shows it." }),
          erased: z.boolean(),
          matchedBy: z.string().nullable().meta({ description: "How the search found it (name, account number, email, phone), when `q` was given." }),
          createdAt: isoDateTime,
        })
        .meta({ id: "CustomerSummary" }),
    ),
    page: z.object({
      size: z.int(),
      next: z.string().nullable().meta({ description: "Pass as `page[after]` for the next page; null on the last page." }),
    }),
  })
  .meta({ id: "CustomerList" });

const phoneInput = z.strictObject(
  {
    number: phoneFields.number.meta({ description: "The number, international (+447700900123) or national in `country`." }),
    country: phoneFields.country.default(DEFAULT_PHONE_REGION).meta({ description: "ISO 3166 country of a national number (default GB)." }),
    kind: phoneFields.kind,
  },
  refuseUnknownKeys,
);

export const createCustomerBodySchema = z
  .strictObject(
    {
      name: updateProfileSchema.shape.name.meta({ description: "The customer's name, at most 100 characters." }),
      accountNumber: updateProfileSchema.shape.accountNumber.meta({ description: "A unique account number, at most 40 characters, no spaces." }),
      organisationId: z.uuid("Organisation ids are UUIDs.").optional().meta({ description: "An organisation the customer is a contact of." }),
      email: addressField.optional().meta({ description: "The primary email address (starts unverified)." }),
      phone: phoneInput.transform(withE164).optional().meta({ description: "A first phone number (starts unverified)." }),
    },
    refuseUnknownKeys,
  )
  .meta({ id: "CreateCustomer", description: "Identifiers another customer holds are refused (409, naming the field), as on the customer page." });
export type CreateCustomerBody = z.output<typeof createCustomerBodySchema>;

export const updateCustomerBodySchema = z
  .strictObject(
    {
      name: updateProfileSchema.shape.name.optional(),
      accountNumber: updateProfileSchema.shape.accountNumber.optional(),
      organisationId: z.uuid("Organisation ids are UUIDs.").nullable().optional().meta({ description: "An organisation's id, or null for none." }),
    },
    refuseUnknownKeys,
  )
  .refine((value) => value.name !== undefined || value.accountNumber !== undefined || value.organisationId !== undefined, {
    message: "Nothing to change: give name, accountNumber or organisationId.",
  })
  .meta({ id: "UpdateCustomer", description: "Only the fields given change. Contact details change through their own operations." });
export type UpdateCustomerBody = z.output<typeof updateCustomerBodySchema>;

export const addCustomerEmailBodySchema = z
  .strictObject(
    { address: addressField.meta({ description: "An email address no other customer holds; added as an alias (the primary when it is the first)." }) },
    refuseUnknownKeys,
  )
  .meta({ id: "AddCustomerEmail" });
export type AddCustomerEmailBody = z.output<typeof addCustomerEmailBodySchema>;

export const addCustomerPhoneBodySchema = phoneInput.transform(withE164).meta({ id: "AddCustomerPhone" });
export type AddCustomerPhoneBody = z.output<typeof addCustomerPhoneBodySchema>;

const agreementFields = addAgreementSchema.shape;
export const createAgreementBodySchema = z
  .strictObject(
    { reference: agreementFields.reference, tier: agreementFields.tier, startsOn: agreementFields.startsOn, endsOn: agreementFields.endsOn },
    refuseUnknownKeys,
  )
  .meta({ id: "CreateAgreement", description: "Days as YYYY-MM-DD; the last day is never before the first; references are unique (409)." });
export type CreateAgreementBody = z.output<typeof createAgreementBodySchema>;

export const updateAgreementBodySchema = z
  .strictObject(
    {
      endsOn: extendAgreementSchema.shape.endsOn.optional().meta({ description: "A later last day (an agreement is extended, never shortened)." }),
      status: z.literal("cancelled", "Only `cancelled`: an agreement is cancelled from today.").optional(),
      reason: cancelAgreementSchema.shape.reason.optional().meta({ description: "Why it is cancelled (10–500 characters); required with status." }),
    },
    refuseUnknownKeys,
  )
  .refine((value) => value.endsOn !== undefined || value.status !== undefined, { message: "Nothing to change: give endsOn or status." })
  .refine((value) => (value.status === undefined) === (value.reason === undefined), {
    message: "A cancellation needs its reason, and a reason goes with status: cancelled.",
    path: ["reason"],
  })
  .refine((value) => !(value.status && value.endsOn), { message: "Extend or cancel, not both at once.", path: ["endsOn"] })
  .meta({
    id: "UpdateAgreement",
    description:
      "As the supervisors' agreement panel: extend (a later `endsOn`) or cancel (`status: cancelled` with a `reason`). " +
      "The tier and first day of an agreement do not change: cancel it and add a new one.",
  });
export type UpdateAgreementBody = z.output<typeof updateAgreementBodySchema>;

export const ESCALATION_STATUSES = ["open", "claimed", "resolved", "deescalated"] as const;

export const escalationSchema = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    reason: z.enum(["identity_unverified", "customer_request", "sla_at_risk", "sla_breached", "technical"]),
    note: z.string(),
    status: z.enum(ESCALATION_STATUSES),
    automatic: z.boolean().meta({ description: "Raised by the SLA job rather than a person." }),
    raisedBy: z.string().nullable().meta({ description: "The staff member's name, or null (a token or the SLA job)." }),
    assignee: z.object({ id: z.uuid(), name: z.string() }).nullable().meta({ description: "The supervisor who claimed it." }),
    outcome: z.string().nullable(),
    raisedAt: isoDateTime,
    claimedAt: isoDateTime.nullable(),
    resolvedAt: isoDateTime.nullable(),
  })
  .meta({ id: "Escalation" });
export type ApiEscalation = z.output<typeof escalationSchema>;

export const escalationListSchema = z
  .object({
    data: z.array(escalationSchema),
    page: z.object({
      size: z.int(),
      next: z.string().nullable().meta({ description: "Pass as `page[after]` for the next page; null on the last page." }),
    }),
  })
  .meta({ id: "EscalationList" });

export const listEscalationsQuerySchema = z.object({
  "page[size]": z.coerce
    .number("A whole number from 1 to 100.")
    .int("A whole number from 1 to 100.")
    .min(1, "A whole number from 1 to 100.")
    .max(API_PAGE_SIZE_MAX, "At most 100 escalations per page.")
    .default(API_PAGE_SIZE_DEFAULT),
  "page[after]": cursor.optional().meta({ description: "The `page.next` cursor of the previous page." }),
  status: z
    .enum([...ESCALATION_STATUSES, "active", "all"], "One of open, claimed, resolved, deescalated, active, all.")
    .default("active")
    .meta({ description: "`active` = open and claimed (the default, the supervisors' queue); `all` = every status. Oldest first." }),
  ticketId: z.uuid("Ticket ids are UUIDs.").optional().meta({ description: "Only this ticket's escalations." }),
});
export type ListEscalationsQuery = z.output<typeof listEscalationsQuerySchema>;

export const createEscalationBodySchema = z
  .strictObject({ reason: escalateTicketSchema.shape.reason, note: escalateTicketSchema.shape.note }, refuseUnknownKeys)
  .meta({
    id: "CreateEscalation",
    description: 'As an agent\'s "escalate": a ticket has at most one open manual escalation (409), a closed ticket cannot be escalated (409).',
  });
export type CreateEscalationBody = z.output<typeof createEscalationBodySchema>;
