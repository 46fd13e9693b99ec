import "server-only";
import { z } from "zod";
import {
  addCustomerEmailForApi,
  addCustomerPhoneForApi,
  createAgreementForApi,
  createCustomerForApi,
  getCustomerForApi,
  listCustomerAgreementsForApi,
  listCustomersForApi,
  removeCustomerEmailForApi,
  removeCustomerPhoneForApi,
  updateAgreementForApi,
  updateCustomerForApi,
} from "@/features/api/customers";
import { listEscalationsForApi, raiseEscalationForApi } from "@/features/api/escalations";
import {
  addCustomerEmailBodySchema,
  addCustomerPhoneBodySchema,
  agreementIdParamsSchema,
  createAgreementBodySchema,
  createCustomerBodySchema,
  createEscalationBodySchema,
  createMessageBodySchema,
  createTicketBodySchema,
  customerEmailParamsSchema,
  customerIdParamsSchema,
  customerPhoneParamsSchema,
  listCustomersQuerySchema,
  listEscalationsQuerySchema,
  listTicketsQuerySchema,
  ticketIdParamsSchema,
  updateAgreementBodySchema,
  updateCustomerBodySchema,
  updateTicketBodySchema,
} from "@/features/api/schemas";
import { StaleCustomerVersionError } from "@/features/customers/contacts/contacts";
import {
  createMessageForApi,
  createTicketForApi,
  getTicketForApi,
  getTicketIdentityForApi,
  listTicketsForApi,
  updateTicketForApi,
} from "@/features/api/tickets";
import { StaleVersionError } from "@/features/tickets/desk";
import { type ApiClient, requestIp } from "@/platform/auth/guard";
import { DomainError } from "@/platform/errors";
import { API_BODY_MAX_BYTES } from "@/platform/http/idempotency";
import { problem } from "@/platform/http/problem";
import { readCappedBody } from "@/platform/http/read-capped";
import { UNSTORABLE_MESSAGE, unstorableTextPaths } from "@/platform/text/schemas";

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

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/**
 * A JSON request body checked against its schema, every refusal a 422 naming the field by its
 * path ("requesterAddress"; "body" for the document as a whole). Text PostgreSQL cannot store is
 * refused whatever the schema says (the net under cleanText, as for server actions).
 */
async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const bytes = await readCappedBody(request, API_BODY_MAX_BYTES);
  if (bytes === "too_large") throw new DomainError(`A request body may be at most ${API_BODY_MAX_BYTES / 1024} KB.`, "invalid", { body: ["Too large."] });
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType !== "application/json")
    throw new DomainError("Send the body as JSON (Content-Type: application/json).", "invalid", { body: ["Not application/json."] });
  let input: unknown;
  try {
    input = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new DomainError("The body is not valid JSON in UTF-8.", "invalid", { body: ["Not valid JSON."] });
  }
  const unstorable = unstorableTextPaths(input);
  if (unstorable.length > 0) {
    const fieldErrors: Record<string, string[]> = {};
    for (const path of unstorable) fieldErrors[path.length ? path.join(".") : "body"] = [UNSTORABLE_MESSAGE];
    throw new DomainError("Some fields contain characters that cannot be stored.", "invalid", fieldErrors);
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length ? issue.path.map(String).join(".") : "body";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  throw new DomainError(`Some fields are not valid: ${Object.keys(fieldErrors).join(", ")}.`, "invalid", fieldErrors);
}

/** A ticket's ETag: its version, which every change of the row moves on (a trigger). */
export const etagOfVersion = (version: number) => `"v${version}"`;

/**
 * The versions an `If-Match` header names (strong comparison: a weak tag never matches), or why
 * it cannot be used: missing (428), or `*`, which would let a writer overwrite what it never read.
 */
function versionsOfIfMatch(header: string | null, what: "ticket" | "customer" = "ticket"): number[] {
  if (header === null || header.trim() === "")
    throw new PreconditionRequired(
      `Send If-Match with the ETag of the ${what} as you last read it (GET /${what}s/{id}), so you never overwrite a change you have not seen.`,
    );
  if (header.trim() === "*") throw new PreconditionRequired(`If-Match: * is not accepted: send the ${what}'s ETag as you last read it.`);
  return header
    .split(",")
    .map((tag) => /^"v(\d{1,9})"$/.exec(tag.trim())?.[1])
    .filter((version): version is string => version !== undefined)
    .map(Number);
}

class PreconditionRequired extends Error {}

export async function listTickets(request: Request, _client: ApiClient): Promise<Response> {
  const query = parseOrRefuse(listTicketsQuerySchema, queryOf(request), "query parameters");
  return json(await listTicketsForApi(query));
}

export async function getTicket(_request: Request, _client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(ticketIdParamsSchema, await context.params, "path parameters");
  const { ticket, version } = await getTicketForApi(id);
  return json(ticket, 200, { etag: etagOfVersion(version) });
}

export async function createTicket(request: Request, client: ApiClient): Promise<Response> {
  const body = await readBody(request, createTicketBodySchema);
  const { ticket, version } = await createTicketForApi(client, body);
  return json(ticket, 201, { etag: etagOfVersion(version), location: `/api/v1/tickets/${ticket.id}` });
}

export async function updateTicket(request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(ticketIdParamsSchema, await context.params, "path parameters");
  let versions: number[];
  try {
    versions = versionsOfIfMatch(request.headers.get("if-match"));
  } catch (error) {
    if (error instanceof PreconditionRequired) return problem("precondition_required", error.message);
    throw error;
  }
  const body = await readBody(request, updateTicketBodySchema);
  try {
    const { ticket, version } = await updateTicketForApi(client, id, body, versions);
    return json(ticket, 200, { etag: etagOfVersion(version) });
  } catch (error) {
    if (error instanceof StaleVersionError) return problem("precondition_failed", error.message, { headers: { etag: etagOfVersion(error.current) } });
    throw error;
  }
}

export async function createMessage(request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(ticketIdParamsSchema, await context.params, "path parameters");
  const body = await readBody(request, createMessageBodySchema);
  return json(await createMessageForApi(client, id, body), 201);
}

export async function getTicketIdentity(_request: Request, _client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(ticketIdParamsSchema, await context.params, "path parameters");
  return json(await getTicketIdentityForApi(id));
}

// ───────────── Customers ─────────────

export async function listCustomers(request: Request, _client: ApiClient): Promise<Response> {
  const query = parseOrRefuse(listCustomersQuerySchema, queryOf(request), "query parameters");
  return json(await listCustomersForApi(query));
}

export async function getCustomer(_request: Request, _client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(customerIdParamsSchema, await context.params, "path parameters");
  const { customer, version } = await getCustomerForApi(id);
  return json(customer, 200, { etag: etagOfVersion(version) });
}

export async function createCustomer(request: Request, client: ApiClient): Promise<Response> {
  const body = await readBody(request, createCustomerBodySchema);
  const { customer, version } = await createCustomerForApi(client, body, await requestIp());
  return json(customer, 201, { etag: etagOfVersion(version), location: `/api/v1/customers/${customer.id}` });
}

export async function updateCustomer(request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(customerIdParamsSchema, await context.params, "path parameters");
  let versions: number[];
  try {
    versions = versionsOfIfMatch(request.headers.get("if-match"), "customer");
  } catch (error) {
    if (error instanceof PreconditionRequired) return problem("precondition_required", error.message);
    throw error;
  }
  const body = await readBody(request, updateCustomerBodySchema);
  try {
    const { customer, version } = await updateCustomerForApi(client, id, body, versions, await requestIp());
    return json(customer, 200, { etag: etagOfVersion(version) });
  } catch (error) {
    if (error instanceof StaleCustomerVersionError) return problem("precondition_failed", error.message, { headers: { etag: etagOfVersion(error.current) } });
    throw error;
  }
}

export async function addCustomerEmail(request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(customerIdParamsSchema, await context.params, "path parameters");
  const body = await readBody(request, addCustomerEmailBodySchema);
  const { customer, version } = await addCustomerEmailForApi(client, id, body, await requestIp());
  return json(customer, 201, { etag: etagOfVersion(version) });
}

export async function removeCustomerEmail(_request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id, emailId } = parseOrRefuse(customerEmailParamsSchema, await context.params, "path parameters");
  const { customer, version } = await removeCustomerEmailForApi(client, id, emailId, await requestIp());
  return json(customer, 200, { etag: etagOfVersion(version) });
}

export async function addCustomerPhone(request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(customerIdParamsSchema, await context.params, "path parameters");
  const body = await readBody(request, addCustomerPhoneBodySchema);
  const { customer, version } = await addCustomerPhoneForApi(client, id, body, await requestIp());
  return json(customer, 201, { etag: etagOfVersion(version) });
}

export async function removeCustomerPhone(_request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id, phoneId } = parseOrRefuse(customerPhoneParamsSchema, await context.params, "path parameters");
  const { customer, version } = await removeCustomerPhoneForApi(client, id, phoneId, await requestIp());
  return json(customer, 200, { etag: etagOfVersion(version) });
}

// ───────────── Agreements ─────────────

export async function listCustomerAgreements(_request: Request, _client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(customerIdParamsSchema, await context.params, "path parameters");
  return json(await listCustomerAgreementsForApi(id));
}

export async function createAgreement(request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(customerIdParamsSchema, await context.params, "path parameters");
  const body = await readBody(request, createAgreementBodySchema);
  const agreement = await createAgreementForApi(client, id, body, await requestIp());
  return json(agreement, 201, { location: `/api/v1/agreements/${agreement.id}` });
}

export async function updateAgreement(request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(agreementIdParamsSchema, await context.params, "path parameters");
  const body = await readBody(request, updateAgreementBodySchema);
  return json(await updateAgreementForApi(client, id, body, await requestIp()));
}

// ───────────── Escalations ─────────────

export async function listEscalations(request: Request, _client: ApiClient): Promise<Response> {
  const query = parseOrRefuse(listEscalationsQuerySchema, queryOf(request), "query parameters");
  return json(await listEscalationsForApi(query));
}

export async function createEscalation(request: Request, client: ApiClient, context: RouteContext): Promise<Response> {
  const { id } = parseOrRefuse(ticketIdParamsSchema, await context.params, "path parameters");
  const body = await readBody(request, createEscalationBodySchema);
  return json(await raiseEscalationForApi(client, id, body, await requestIp()), 201);
}
