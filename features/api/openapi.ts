import { createDocument } from "zod-openapi";
import { z } from "zod";
import {
  addCustomerEmailBodySchema,
  addCustomerPhoneBodySchema,
  agreementIdParamsSchema,
  agreementListSchema,
  agreementSchema,
  createAgreementBodySchema,
  createCustomerBodySchema,
  createEscalationBodySchema,
  customerEmailParamsSchema,
  customerIdParamsSchema,
  customerListSchema,
  customerPhoneParamsSchema,
  customerSchema,
  escalationListSchema,
  escalationSchema,
  listCustomersQuerySchema,
  listEscalationsQuerySchema,
  updateAgreementBodySchema,
  updateCustomerBodySchema,
  createMessageBodySchema,
  createTicketBodySchema,
  listTicketsQuerySchema,
  messageSchema,
  problemSchema,
  ticketIdentitySchema,
  ticketIdParamsSchema,
  ticketListSchema,
  ticketSchema,
  updateTicketBodySchema,
} from "@/features/api/schemas";
import { API_SCOPE_DESCRIPTION, API_SCOPES, type ApiScope } from "@/platform/auth/api-scopes";
import { PROBLEM_CONTENT_TYPE } from "@/platform/http/problem";

/**
 * The OpenAPI 3.1 document of /api/v1, written from the zod schemas the handlers validate with
 * (zod-openapi). app/api/v1/contract.test.ts calls every operation and checks the answers
 * against it, and checks that every route file has its operation here and back.
 */

const problemResponse = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } });

const COMMON_ERRORS = {
  "401": problemResponse("No token, or a token that is not valid, revoked or expired."),
  "403": problemResponse("The token lacks the operation's scope."),
  "422": problemResponse("A parameter is not valid; `errors` names each one."),
  "429": problemResponse("Past the token's rate limit; see `Retry-After`."),
  "500": problemResponse("An error on the server's side."),
  "503": problemResponse("The database is busy; try again after `Retry-After`."),
};

/** Every POST (apiRoute applies it: platform/http/idempotency.ts). */
const idempotencyKeyHeader = z.object({
  "Idempotency-Key": z
    .string()
    .min(1)
    .max(255)
    .meta({
      description:
        "Required on every POST: a unique value per operation (a UUID), sent again unchanged with each retry. A retry gets the first answer " +
        "(same status and body, `Idempotent-Replayed: true`) and never repeats the operation, also when retries arrive at once; " +
        "the same key with another body is refused (422). Keys are kept 24 hours, per token.",
    }),
});
const ifMatchHeader = z.object({
  "If-Match": z.string().meta({ description: "The ETag of the ticket as you last read it. Missing: 428; no longer current: 412 (with the current ETag)." }),
});
const etagHeader = { ETag: { description: "The ticket's version; send it as If-Match to change the ticket.", schema: { type: "string" as const } } };
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } } });

const WRITE_ERRORS = {
  "409": problemResponse(
    "The change conflicts with the ticket's state (a status move the rules refuse), or a request with this Idempotency-Key is still running.",
  ),
  "413": problemResponse("The body is larger than 256 KB."),
};

const operation = (scope: ApiScope) => ({ security: [{ bearer: [scope] }], "x-scope": scope });

const customerIfMatchHeader = z.object({
  "If-Match": z.string().meta({ description: "The ETag of the customer as you last read it. Missing: 428; no longer current: 412 (with the current ETag)." }),
});
const customerEtagHeader = {
  ETag: { description: "The customer's version; send it as If-Match to change the customer.", schema: { type: "string" as const } },
};
const CUSTOMER_CONFLICT = problemResponse(
  "The customer page's rules refuse the change: an identifier or account number another customer holds (naming the field), " +
    "a record a merge absorbed or that was erased (read-only), the primary address, or a request with this Idempotency-Key still running.",
);
const BODY_TOO_LARGE = problemResponse("The body is larger than 256 KB.");
const customerAnswer = (description: string) => ({ description, headers: customerEtagHeader, ...json(customerSchema) });

export function openApiDocument() {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Veridesk API",
      version: "1.0.0",
      description:
        "Tickets, customers and identity evidence of a Veridesk helpdesk. Every ticket carries its requester's evidence-based identity status. " +
        "Authenticate with `Authorization: Bearer <token>` (tokens are issued by an administrator under Admin → API tokens). " +
        "Errors are RFC 9457 problem details. Each token may make 600 requests a minute (`RateLimit-*` headers).",
    },
    servers: [{ url: "/api/v1" }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: `Scopes: ${API_SCOPES.map((scope) => `\`${scope}\` (${API_SCOPE_DESCRIPTION[scope]})`).join("; ")}.`,
        },
      },
    },
    paths: {
      "/tickets": {
        get: {
          operationId: "listTickets",
          tags: ["Tickets"],
          summary: "List tickets",
          description: "The agents' queue: same filters, same order, keyset pages. Follow `page.next` until it is null.",
          ...operation("tickets:read"),
          requestParams: { query: listTicketsQuerySchema },
          responses: { "200": { description: "A page of tickets.", content: { "application/json": { schema: ticketListSchema } } }, ...COMMON_ERRORS },
        },
        post: {
          operationId: "createTicket",
          tags: ["Tickets"],
          summary: "Create a ticket for a customer",
          description:
            "As the console's \"start a ticket\": the customer's SLA applies, the acknowledgement is emailed to the requester (or the customer's primary address), " +
            "the body is the first message, and `ticket.created` goes to webhooks. The identity status is worked out from the requester given, as for any ticket.",
          ...operation("tickets:write"),
          requestParams: { header: idempotencyKeyHeader },
          requestBody: { required: true, ...json(createTicketBodySchema) },
          responses: {
            "201": {
              description: "The ticket made (or, for a retry with the same Idempotency-Key, the ticket the first request made).",
              headers: { ...etagHeader, Location: { description: "The ticket's URL.", schema: { type: "string" as const } } },
              ...json(ticketSchema),
            },
            ...WRITE_ERRORS,
            ...COMMON_ERRORS,
          },
        },
      },
      "/tickets/{id}": {
        get: {
          operationId: "getTicket",
          tags: ["Tickets"],
          summary: "Get a ticket",
          ...operation("tickets:read"),
          requestParams: { path: ticketIdParamsSchema },
          responses: {
            "200": { description: "The ticket.", headers: etagHeader, ...json(ticketSchema) },
            "404": problemResponse("No ticket with this id."),
            ...COMMON_ERRORS,
          },
        },
        patch: {
          operationId: "updateTicket",
          tags: ["Tickets"],
          summary: "Change a ticket's status, priority or assignee",
          description:
            "With the agents' rules: status moves of the state machine, assignees who are active staff, SLA clocks, `ticket.updated` webhooks. " +
            "Requires If-Match, so two writers never overwrite each other silently.",
          ...operation("tickets:write"),
          requestParams: { path: ticketIdParamsSchema, header: ifMatchHeader },
          requestBody: { required: true, ...json(updateTicketBodySchema) },
          responses: {
            "200": { description: "The ticket as changed.", headers: etagHeader, ...json(ticketSchema) },
            "404": problemResponse("No ticket with this id."),
            "409": problemResponse("The rules refuse this change (for example a status move back to new)."),
            "412": problemResponse("The ticket changed since the ETag in If-Match; the answer's ETag is the current one."),
            "428": problemResponse("If-Match is missing (or `*`)."),
            ...COMMON_ERRORS,
          },
        },
      },
      "/tickets/{id}/messages": {
        post: {
          operationId: "createMessage",
          tags: ["Tickets"],
          summary: "Add a public reply or an internal note",
          description:
            "The console's reply service: a public reply is emailed to the requester through the outbox (threaded with the ticket's emails) " +
            "and moves a new ticket to open; a note is seen by staff only. Sends `message.created` to webhooks.",
          ...operation("tickets:write"),
          requestParams: { path: ticketIdParamsSchema, header: idempotencyKeyHeader },
          requestBody: { required: true, ...json(createMessageBodySchema) },
          responses: {
            "201": { description: "The message as stored.", ...json(messageSchema) },
            "404": problemResponse("No ticket with this id."),
            ...WRITE_ERRORS,
            ...COMMON_ERRORS,
          },
        },
      },
      "/tickets/{id}/identity": {
        get: {
          operationId: "getTicketIdentity",
          tags: ["Identity"],
          summary: "Get a ticket's identity evidence",
          description:
            "What the agent's identity panel shows: the status, why, the requester's proofs, the matched customer, the agreement and the current check.",
          ...operation("identity:read"),
          requestParams: { path: ticketIdParamsSchema },
          responses: {
            "200": { description: "The identity evidence.", content: { "application/json": { schema: ticketIdentitySchema } } },
            "404": problemResponse("No ticket with this id."),
            ...COMMON_ERRORS,
          },
        },
      },

      "/customers": {
        get: {
          operationId: "listCustomers",
          summary: "Search customers",
          description:
            "The customer directory: search by name, account number, any email address or phone number; keyset pages (follow `page.next`). " +
            "Records a merge absorbed are not listed.",
          tags: ["Customers"],
          ...operation("customers:read"),
          requestParams: { query: listCustomersQuerySchema },
          responses: { "200": { description: "A page of customers.", ...json(customerListSchema) }, ...COMMON_ERRORS },
        },
        post: {
          operationId: "createCustomer",
          summary: "Create a customer",
          description: "A new record with a unique account number, and optionally its primary address and a first number (both unverified). All or nothing.",
          tags: ["Customers"],
          ...operation("customers:write"),
          requestParams: { header: idempotencyKeyHeader },
          requestBody: { required: true, ...json(createCustomerBodySchema) },
          responses: {
            "201": {
              description: "The customer made (or, for a retry with the same Idempotency-Key, the one the first request made).",
              headers: { ...customerEtagHeader, Location: { description: "The customer's URL.", schema: { type: "string" as const } } },
              ...json(customerSchema),
            },
            "409": CUSTOMER_CONFLICT,
            "413": BODY_TOO_LARGE,
            ...COMMON_ERRORS,
          },
        },
      },
      "/customers/{id}": {
        get: {
          operationId: "getCustomer",
          summary: "Get a customer",
          description:
            "With the addresses and numbers (verified or not, deliverability), the organisation, the agreements and entitlement, and the identity evidence " +
            "the customer page shows. A record a merge absorbed answers as it is, with `mergedIntoId` naming the survivor.",
          tags: ["Customers"],
          ...operation("customers:read"),
          requestParams: { path: customerIdParamsSchema },
          responses: { "200": customerAnswer("The customer."), "404": problemResponse("No customer with this id."), ...COMMON_ERRORS },
        },
        patch: {
          operationId: "updateCustomer",
          summary: "Change a customer's name, account number or organisation",
          description: "The customer page's rules (a unique account number, no spaces). Requires If-Match.",
          tags: ["Customers"],
          ...operation("customers:write"),
          requestParams: { path: customerIdParamsSchema, header: customerIfMatchHeader },
          requestBody: { required: true, ...json(updateCustomerBodySchema) },
          responses: {
            "200": customerAnswer("The customer as changed."),
            "404": problemResponse("No customer with this id."),
            "409": CUSTOMER_CONFLICT,
            "412": problemResponse("The customer changed since the ETag in If-Match; the answer's ETag is the current one."),
            "428": problemResponse("If-Match is missing (or `*`)."),
            ...COMMON_ERRORS,
          },
        },
      },
      "/customers/{id}/emails": {
        post: {
          operationId: "addCustomerEmail",
          summary: "Add an email address",
          description:
            "As on the customer page: normalised, unique across customers (another customer's address is refused, never moved), " +
            "the first becomes the primary, later ones are aliases; it starts unverified.",
          tags: ["Customers"],
          ...operation("customers:write"),
          requestParams: { path: customerIdParamsSchema, header: idempotencyKeyHeader },
          requestBody: { required: true, ...json(addCustomerEmailBodySchema) },
          responses: {
            "201": customerAnswer("The customer with the address."),
            "404": problemResponse("No customer with this id."),
            "409": CUSTOMER_CONFLICT,
            "413": BODY_TOO_LARGE,
            ...COMMON_ERRORS,
          },
        },
      },
      "/customers/{id}/emails/{emailId}": {
        delete: {
          operationId: "removeCustomerEmail",
          summary: "Remove an email address",
          description: "An alias, verified or not. The primary address is never removed: make another one the primary first (on the customer page).",
          tags: ["Customers"],
          ...operation("customers:write"),
          requestParams: { path: customerEmailParamsSchema },
          responses: {
            "200": customerAnswer("The customer without the address."),
            "404": problemResponse("No customer with this id, or it has no address with this id."),
            "409": CUSTOMER_CONFLICT,
            ...COMMON_ERRORS,
          },
        },
      },
      "/customers/{id}/phones": {
        post: {
          operationId: "addCustomerPhone",
          summary: "Add a phone number",
          description:
            "As on the customer page: read in `country` (or international with +), kept as E.164, refused when another customer holds it; starts unverified.",
          tags: ["Customers"],
          ...operation("customers:write"),
          requestParams: { path: customerIdParamsSchema, header: idempotencyKeyHeader },
          requestBody: { required: true, ...json(addCustomerPhoneBodySchema) },
          responses: {
            "201": customerAnswer("The customer with the number."),
            "404": problemResponse("No customer with this id."),
            "409": CUSTOMER_CONFLICT,
            "413": BODY_TOO_LARGE,
            ...COMMON_ERRORS,
          },
        },
      },
      "/customers/{id}/phones/{phoneId}": {
        delete: {
          operationId: "removeCustomerPhone",
          summary: "Remove a phone number",
          tags: ["Customers"],
          ...operation("customers:write"),
          requestParams: { path: customerPhoneParamsSchema },
          responses: {
            "200": customerAnswer("The customer without the number."),
            "404": problemResponse("No customer with this id, or it has no number with this id."),
            "409": CUSTOMER_CONFLICT,
            ...COMMON_ERRORS,
          },
        },
      },
      "/customers/{id}/agreements": {
        get: {
          operationId: "listCustomerAgreements",
          summary: "List a customer's agreements",
          tags: ["Agreements"],
          ...operation("customers:read"),
          requestParams: { path: customerIdParamsSchema },
          responses: {
            "200": { description: "The agreements.", ...json(agreementListSchema) },
            "404": problemResponse("No customer with this id."),
            ...COMMON_ERRORS,
          },
        },
        post: {
          operationId: "createAgreement",
          summary: "Add an agreement to a customer",
          description: "As the supervisors' agreement panel. New tickets get its SLA; open tickets keep their due times.",
          tags: ["Agreements"],
          ...operation("customers:write"),
          requestParams: { path: customerIdParamsSchema, header: idempotencyKeyHeader },
          requestBody: { required: true, ...json(createAgreementBodySchema) },
          responses: {
            "201": {
              description: "The agreement.",
              headers: { Location: { description: "The agreement's URL.", schema: { type: "string" as const } } },
              ...json(agreementSchema),
            },
            "404": problemResponse("No customer with this id."),
            "409": problemResponse("The reference is taken, the record was merged or erased, or a request with this Idempotency-Key is still running."),
            "413": BODY_TOO_LARGE,
            ...COMMON_ERRORS,
          },
        },
      },
      "/agreements/{id}": {
        patch: {
          operationId: "updateAgreement",
          summary: "Extend or cancel an agreement",
          tags: ["Agreements"],
          ...operation("customers:write"),
          requestParams: { path: agreementIdParamsSchema },
          requestBody: { required: true, ...json(updateAgreementBodySchema) },
          responses: {
            "200": { description: "The agreement as changed.", ...json(agreementSchema) },
            "404": problemResponse("No agreement with this id."),
            "409": problemResponse("A cancelled agreement is not extended; one that ended or is cancelled is not cancelled again; or it changed a moment ago."),
            ...COMMON_ERRORS,
          },
        },
      },
      "/tickets/{id}/escalations": {
        post: {
          operationId: "createEscalation",
          summary: "Escalate a ticket to the supervisors",
          description:
            "The agents' escalation: a note on the thread, every supervisor notified, `escalation.raised` to webhooks. " +
            "At most one open manual escalation per ticket.",
          tags: ["Escalations"],
          ...operation("tickets:write"),
          requestParams: { path: ticketIdParamsSchema, header: idempotencyKeyHeader },
          requestBody: { required: true, ...json(createEscalationBodySchema) },
          responses: {
            "201": { description: "The escalation.", ...json(escalationSchema) },
            "404": problemResponse("No ticket with this id."),
            "409": problemResponse("Already escalated, the ticket is closed, or a request with this Idempotency-Key is still running."),
            "413": BODY_TOO_LARGE,
            ...COMMON_ERRORS,
          },
        },
      },
      "/escalations": {
        get: {
          operationId: "listEscalations",
          summary: "List escalations",
          description: "Oldest first, as the supervisors' queue; keyset pages (follow `page.next`).",
          tags: ["Escalations"],
          ...operation("tickets:read"),
          requestParams: { query: listEscalationsQuerySchema },
          responses: { "200": { description: "A page of escalations.", ...json(escalationListSchema) }, ...COMMON_ERRORS },
        },
      },
    },
  });
}
