import { randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => ({ headers: vi.fn(async () => new Headers({ "x-veridesk-peer": "203.0.113.77" })) }));
vi.mock("next/server", () => ({ connection: vi.fn(async () => {}) }));

const { db } = await import("@/platform/db/client");
const { generateApiToken } = await import("@/platform/auth/api-tokens");
const { API_REQUESTS_PER_MINUTE } = await import("@/platform/auth/guard");
const { openApiDocument } = await import("@/features/api/openapi");

/**
 * The contract: every operation of the OpenAPI document has its route file and back; each is
 * called through its real route module (apiRoute included) and every answer — success or problem
 * — is validated against the document's own JSON Schema for that status and content type.
 */

const document = openApiDocument() as unknown as {
  paths: Record<
    string,
    Record<string, { operationId: string; "x-scope": string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat("date-time", { validate: (value: string) => !Number.isNaN(Date.parse(value)) });
ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addSchema({ $id: "veridesk-api", components: document.components });

function validateAgainstDocument(template: string, method: string, response: Response, body: unknown) {
  const operation = document.paths[template]![method]!;
  const declared = operation.responses[String(response.status)];
  expect(declared, `${method.toUpperCase()} ${template} answered ${response.status}, which the document does not declare`).toBeDefined();
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!;
  const media = declared!.content?.[contentType];
  expect(media, `${method.toUpperCase()} ${template} ${response.status} answered ${contentType}, not in the document`).toBeDefined();
  // The document's $refs point at #/components/…: resolve them inside the registered document.
  const schema = JSON.parse(JSON.stringify(media!.schema).replaceAll('"#/components/', '"veridesk-api#/components/'));
  const validate = ajv.compile(schema);
  const valid = validate(body);
  expect(valid, `${method.toUpperCase()} ${template} ${response.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** app/api/v1/**\/route.ts → OpenAPI path templates ("/tickets/{id}"). */
function routeTemplates(): string[] {
  const root = path.resolve("app/api/v1");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") found.push(`/${path.relative(root, dir)}`.replace(/\[(\w+)\]/g, "{$1}"));
    }
  };
  walk(root);
  return found.filter((template) => template !== "/openapi.json").sort();
}

type RouteModule = Record<string, (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>>;
const ROUTES: Record<string, () => Promise<RouteModule>> = {
  "/tickets": () => import("./tickets/route"),
  "/tickets/{id}": () => import("./tickets/[id]/route"),
  "/tickets/{id}/identity": () => import("./tickets/[id]/identity/route"),
};

async function call(
  template: string,
  method: string,
  options: { token?: string; params?: Record<string, string>; query?: string; authorization?: string } = {},
) {
  const module = await ROUTES[template]!();
  const concrete = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? "");
  const headers = new Headers();
  if (options.authorization !== undefined) headers.set("authorization", options.authorization);
  else if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const request = new Request(`http://127.0.0.1/api/v1${concrete}${options.query ?? ""}`, { method: method.toUpperCase(), headers });
  const response = await module[method.toUpperCase()]!(request, { params: Promise.resolve(options.params ?? {}) });
  const body = await response.json();
  validateAgainstDocument(template, method, response, body);
  return { response, body };
}

async function token(scopes: string[], overrides: { revokedAt?: Date; expiresAt?: Date } = {}) {
  const made = generateApiToken();
  const row = await db.apiToken.create({
    data: { name: `contract ${randomUUID().slice(0, 6)}`, prefix: made.prefix, tokenHash: made.tokenHash, scopes, ...overrides },
  });
  return { ...made, id: row.id };
}

let ticketId: string;
const word = `zebracontract${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  const id = randomUUID().slice(0, 8);
  const customer = await db.customer.create({
    data: {
      accountNumber: `API-${id}`,
      name: "Contract Customer",
      emails: { create: { address: `api-${id}@contract.example`, normalized: `api-${id}@contract.example`, isPrimary: true, verifiedAt: new Date() } },
      agreements: { create: { reference: `AG-${randomUUID()}`, tier: "standard", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-01-01") } },
    },
  });
  const ticket = await db.ticket.create({
    data: {
      subject: `Printer ${word}`,
      channel: "email",
      customerId: customer.id,
      requesterAddress: `api-${id}@contract.example`,
      requesterName: "Contract Customer",
    },
  });
  ticketId = ticket.id;
  for (const n of [2, 3]) {
    await db.ticket.create({
      data: { subject: `Scanner ${n} ${word}`, channel: "web", customerId: customer.id, requesterAddress: `api-${id}@contract.example` },
    });
  }
});

describe("the OpenAPI document and the route files", () => {
  it("declares exactly the operations that have route files", () => {
    expect(Object.keys(document.paths).sort()).toEqual(routeTemplates());
    expect(Object.keys(ROUTES).sort()).toEqual(routeTemplates());
  });
});

describe.each(
  Object.entries(document.paths).flatMap(([template, item]) => Object.entries(item).map(([method, operation]) => ({ template, method, operation }))),
)("$method $template", ({ template, method, operation }) => {
  const params = (): Record<string, string> => (template.includes("{id}") ? { id: ticketId } : {});

  it("answers 401 with a problem without a token, with a malformed one, with another scheme", async () => {
    for (const authorization of [undefined, "Bearer nope", "Basic dXNlcjpwYXNz", `Bearer vd_${"A".repeat(43)}`]) {
      const { response, body } = await call(template, method, { params: params(), authorization: authorization ?? "" });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      expect(body.type).toMatch(/unauthenticated$/);
    }
  });

  it("answers 401 for a revoked or expired token", async () => {
    const revoked = await token([operation["x-scope"]], { revokedAt: new Date() });
    const expired = await token([operation["x-scope"]], { expiresAt: new Date(Date.now() - 1000) });
    expect((await call(template, method, { token: revoked.token, params: params() })).body.detail).toMatch(/revoked/);
    expect((await call(template, method, { token: expired.token, params: params() })).body.detail).toMatch(/expired/);
  });

  it(`answers 403 without its scope (${operation["x-scope"]}) and 200 with it, with rate-limit headers, audited`, async () => {
    const others = ["tickets:read", "tickets:write", "customers:read", "customers:write", "identity:read", "webhooks:manage"].filter(
      (scope) => scope !== operation["x-scope"],
    );
    const without = await token(others);
    const refused = await call(template, method, { token: without.token, params: params() });
    expect(refused.response.status).toBe(403);
    const allowed = await token([operation["x-scope"]]);
    const { response } = await call(template, method, { token: allowed.token, params: params() });
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-limit")).toBe(String(API_REQUESTS_PER_MINUTE));
    expect(Number(response.headers.get("ratelimit-remaining"))).toBe(API_REQUESTS_PER_MINUTE - 1);
    const audits = await db.auditEvent.findMany({ where: { subjectType: "api_token", subjectId: allowed.id, action: "api.request" } });
    expect(audits.map((audit) => (audit.details as { status: number }).status)).toEqual([200]);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: allowed.id } })).lastUsedAt).not.toBeNull();
  });

  if (template.includes("{id}")) {
    it("answers 404 for an unknown id and 422 for a malformed one", async () => {
      const allowed = await token([operation["x-scope"]]);
      expect((await call(template, method, { token: allowed.token, params: { id: randomUUID() } })).response.status).toBe(404);
      const malformed = await call(template, method, { token: allowed.token, params: { id: "42" } });
      expect(malformed.response.status).toBe(422);
      expect(malformed.body.errors).toEqual([{ field: "id", message: "Ticket ids are UUIDs." }]);
    });
  }
});

describe("GET /tickets", () => {
  it("finds a ticket by search with its identity status and entitlement, and pages with page.next", async () => {
    const reader = await token(["tickets:read"]);
    const { body } = await call("/tickets", "get", { token: reader.token, query: `?q=Printer+${word}&status=all` });
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ id: ticketId, identity: { status: "partially_verified" }, entitlement: { tier: "standard" } });

    const first = await call("/tickets", "get", { token: reader.token, query: `?q=${word}&status=all&page[size]=2&sort=oldest` });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.page).toMatchObject({ size: 2, next: expect.any(String) });
    const second = await call("/tickets", "get", {
      token: reader.token,
      query: `?q=${word}&status=all&page[size]=2&sort=oldest&page[after]=${first.body.page.next}`,
    });
    expect(second.body.data).toHaveLength(1);
    expect(second.body.page.next).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((t: { id: string }) => t.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toBe(ticketId);
  });

  it("refuses bad parameters with a 422 naming each, and a cursor of another sort", async () => {
    const reader = await token(["tickets:read"]);
    const bad = await call("/tickets", "get", { token: reader.token, query: "?page[size]=500&status=everything&q=%00" });
    expect(bad.response.status).toBe(422);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["page[size]", "q", "status"]);
    const first = await call("/tickets", "get", { token: reader.token, query: "?status=all&page[size]=1&sort=oldest" });
    const mixed = await call("/tickets", "get", { token: reader.token, query: `?status=all&sort=newest&page[after]=${first.body.page.next}` });
    expect(mixed.response.status).toBe(422);
    expect(mixed.body.errors[0].field).toBe("page[after]");
  });

  it("answers 429 with Retry-After past the token's limit", async () => {
    const reader = await token(["tickets:read"]);
    await db.rateLimitCounter.create({
      data: { key: `api:token:${reader.id}`, windowStart: new Date(), count: API_REQUESTS_PER_MINUTE, expiresAt: new Date(Date.now() + 30_000) },
    });
    const { response, body } = await call("/tickets", "get", { token: reader.token });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(body.type).toMatch(/rate-limited$/);
  });
});

describe("GET /tickets/{id}/identity", () => {
  it("returns the evidence the agent's panel shows", async () => {
    const reader = await token(["identity:read"]);
    const { body } = await call("/tickets/{id}/identity", "get", { token: reader.token, params: { id: ticketId } });
    expect(body).toMatchObject({ ticketId, status: "partially_verified", addressStanding: "primary", entitlement: { status: "valid", tier: "standard" } });
    expect(body.customer.emails[0]).toMatchObject({ isPrimary: true, verified: true, address: expect.stringMatching(/^a•••@contract\.example$/) });
  });
});
