import { createDocument } from "zod-openapi";
import { listTicketsQuerySchema, problemSchema, ticketIdentitySchema, ticketIdParamsSchema, ticketListSchema, ticketSchema } from "@/features/api/schemas";
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

const operation = (scope: ApiScope) => ({ security: [{ bearer: [scope] }], "x-scope": scope });

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
          summary: "List tickets",
          description: "The agents' queue: same filters, same order, keyset pages. Follow `page.next` until it is null.",
          ...operation("tickets:read"),
          requestParams: { query: listTicketsQuerySchema },
          responses: { "200": { description: "A page of tickets.", content: { "application/json": { schema: ticketListSchema } } }, ...COMMON_ERRORS },
        },
      },
      "/tickets/{id}": {
        get: {
          operationId: "getTicket",
          summary: "Get a ticket",
          ...operation("tickets:read"),
          requestParams: { path: ticketIdParamsSchema },
          responses: {
            "200": { description: "The ticket.", content: { "application/json": { schema: ticketSchema } } },
            "404": problemResponse("No ticket with this id."),
            ...COMMON_ERRORS,
          },
        },
      },
      "/tickets/{id}/identity": {
        get: {
          operationId: "getTicketIdentity",
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
    },
  });
}
