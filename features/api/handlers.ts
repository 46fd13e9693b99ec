import "server-only";
import { z } from "zod";
import { listTicketsQuerySchema, ticketIdParamsSchema } from "@/features/api/schemas";
import { getTicketForApi, getTicketIdentityForApi, listTicketsForApi } from "@/features/api/tickets";
import type { ApiClient } from "@/platform/auth/guard";
import { DomainError } from "@/platform/errors";

/**
 * The /api/v1 handlers, each wrapped by apiRoute(scope, …) in its app/api/v1 route file (which
 * does authentication, scopes, rate limits, problem responses and the audit). Inputs are parsed
 * with the same schemas the OpenAPI document is written from.
 */

type RouteContext = { params: Promise<Record<string, string | string[]>> };

function parseOrRefuse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  // Parameters are flat (query and path), so zod's own flattening names each one, as the guard does for actions.
  const flat = z.flattenError(parsed.error);
  const fieldErrors = { ...(flat.fieldErrors as Record<string, string[]>), ...(flat.formErrors.length ? { [what]: flat.formErrors } : {}) };
  throw new DomainError(`Some ${what} are not valid: ${Object.keys(fieldErrors).join(", ")}.`, "invalid", fieldErrors);
}

function queryOf(request: Request): Record<string, string> {
  // A repeated parameter keeps its last value, as URLSearchParams#get would not: one rule, stated.
  return Object.fromEntries(new URL(request.url).searchParams.entries());
}

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

export async function listTickets(request: Request, _client: ApiClient): Promise<Response> {
  const query = parseOrRefuse(listTicketsQuerySchema, queryOf(request), "query parameters");
  return json(await listTicketsForApi(query));
}

export async function getTicket(_request: Request, _client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(ticketIdParamsSchema, await context.params, "path parameters");
  return json(await getTicketForApi(id));
}

export async function getTicketIdentity(_request: Request, _client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(ticketIdParamsSchema, await context.params, "path parameters");
  return json(await getTicketIdentityForApi(id));
}
