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
const { idempotencyFingerprint } = await import("@/platform/http/idempotency");

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
  "/tickets/{id}/messages": () => import("./tickets/[id]/messages/route"),
  "/tickets/{id}/escalations": () => import("./tickets/[id]/escalations/route"),
  "/escalations": () => import("./escalations/route"),
  "/customers": () => import("./customers/route"),
  "/customers/{id}": () => import("./customers/[id]/route"),
  "/customers/{id}/emails": () => import("./customers/[id]/emails/route"),
  "/customers/{id}/emails/{emailId}": () => import("./customers/[id]/emails/[emailId]/route"),
  "/customers/{id}/phones": () => import("./customers/[id]/phones/route"),
  "/customers/{id}/phones/{phoneId}": () => import("./customers/[id]/phones/[phoneId]/route"),
  "/customers/{id}/agreements": () => import("./customers/[id]/agreements/route"),
  "/agreements/{id}": () => import("./agreements/[id]/route"),
};

type CallOptions = {
  token?: string;
  params?: Record<string, string>;
  query?: string;
  authorization?: string;
  /** A JSON body (sent as application/json), or a string sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
};

async function call(template: string, method: string, options: CallOptions = {}) {
  const module = await ROUTES[template]!();
  const concrete = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? "");
  const headers = new Headers(options.headers);
  if (options.authorization !== undefined) headers.set("authorization", options.authorization);
  else if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let sent: string | undefined;
  if (options.body !== undefined) {
    sent = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(`http://127.0.0.1/api/v1${concrete}${options.query ?? ""}`, { method: method.toUpperCase(), headers, body: sent });
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
let customerId: string;
let agreementId: string;
let customerAddress: string;
const word = `zebracontract${randomUUID().slice(0, 6)}`;
/** The write tests' own marker, so their tickets never show in the search above. */
const mark = `yakcontract${randomUUID().slice(0, 6)}`;

/** The ticket's current ETag, read from the row (what GET /tickets/{id} answers). */
async function etagOf(id: string): Promise<string> {
  const { version } = await db.ticket.findUniqueOrThrow({ where: { id }, select: { version: true } });
  return `"v${version}"`;
}

/** A customer's current ETag, read from the row (what GET /customers/{id} answers). */
async function customerEtagOf(id: string): Promise<string> {
  const { version } = await db.customer.findUniqueOrThrow({ where: { id }, select: { version: true } });
  return `"v${version}"`;
}

const short = () => randomUUID().slice(0, 8);
/** A customer of the write tests' own (so changes never disturb the shared one). */
async function freshCustomer(data: { name?: string; mergedIntoId?: string } = {}) {
  const id = short();
  return db.customer.create({
    data: {
      accountNumber: `API-C-${id}`,
      name: data.name ?? `Contract ${id}`,
      mergedIntoId: data.mergedIntoId ?? null,
      emails: { create: { address: `c-${id}@contract.example`, normalized: `c-${id}@contract.example`, isPrimary: true } },
    },
    include: { emails: true },
  });
}
/** A UK mobile number no other test holds (a random tail keeps runs apart; libphonenumber accepts all of +447400…). */
const freshMobile = () => `+447400${String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0")}`;

/** The path parameters each operation's examples use: the shared ticket, customer and agreement. */
function paramsFor(template: string): Record<string, string> {
  if (template.startsWith("/tickets/")) return { id: ticketId };
  if (template.startsWith("/customers/")) return { id: customerId, emailId: randomUUID(), phoneId: randomUUID() };
  if (template.startsWith("/agreements/")) return { id: agreementId };
  return {};
}

/** The message a malformed id gets, per path parameter kind. */
const MALFORMED_ID: Record<string, string> = { tickets: "Ticket ids are UUIDs.", customers: "Customer ids are UUIDs.", agreements: "Agreement ids are UUIDs." };

/** A request each operation accepts (2xx): writes need a body, their headers, and sometimes rows of their own. */
const VALID_REQUEST: Record<string, () => Promise<Pick<CallOptions, "body" | "headers" | "params">>> = {
  "post /tickets": async () => ({
    headers: { "idempotency-key": randomUUID() },
    body: { customerId, subject: "Contract create", body: "Made by the contract test.", channel: "web" },
  }),
  "patch /tickets/{id}": async () => ({ headers: { "if-match": await etagOf(ticketId) }, body: { priority: "high" } }),
  "post /tickets/{id}/messages": async () => ({ headers: { "idempotency-key": randomUUID() }, body: { kind: "internal_note", body: "A contract note." } }),
  "post /tickets/{id}/escalations": async () => {
    // One open manual escalation per ticket: each call escalates a ticket of its own.
    const ticket = await db.ticket.create({ data: { subject: `Escalate ${short()}`, channel: "web", customerId, requesterAddress: customerAddress } });
    return { params: { id: ticket.id }, headers: { "idempotency-key": randomUUID() }, body: { reason: "technical", note: "Needs a supervisor." } };
  },
  "post /customers": async () => ({
    headers: { "idempotency-key": randomUUID() },
    body: { name: "Contract Created", accountNumber: `API-N-${short()}` },
  }),
  "patch /customers/{id}": async () => ({ headers: { "if-match": await customerEtagOf(customerId) }, body: { name: "Contract Customer" } }),
  "post /customers/{id}/emails": async () => {
    const customer = await freshCustomer();
    return { params: { id: customer.id }, headers: { "idempotency-key": randomUUID() }, body: { address: `alias-${short()}@contract.example` } };
  },
  "delete /customers/{id}/emails/{emailId}": async () => {
    const customer = await freshCustomer();
    const alias = await db.customerEmail.create({
      data: { customerId: customer.id, address: `a-${short()}@contract.example`, normalized: `a-${short()}@contract.example` },
    });
    return { params: { id: customer.id, emailId: alias.id } };
  },
  "post /customers/{id}/phones": async () => {
    const customer = await freshCustomer();
    return { params: { id: customer.id }, headers: { "idempotency-key": randomUUID() }, body: { number: freshMobile(), kind: "mobile" } };
  },
  "delete /customers/{id}/phones/{phoneId}": async () => {
    const customer = await freshCustomer();
    const phone = await db.customerPhone.create({ data: { customerId: customer.id, e164: freshMobile(), kind: "mobile" } });
    return { params: { id: customer.id, phoneId: phone.id } };
  },
  "post /customers/{id}/agreements": async () => ({
    headers: { "idempotency-key": randomUUID() },
    body: { reference: `AG-${short()}`, tier: "basic", startsOn: "2026-01-01", endsOn: "2026-12-31" },
  }),
  "patch /agreements/{id}": async () => {
    const agreement = await db.supportAgreement.create({
      data: { customerId, reference: `AG-P-${short()}`, tier: "basic", startsOn: new Date("2026-01-01"), endsOn: new Date("2030-01-01") },
    });
    return { params: { id: agreement.id }, body: { endsOn: "2031-01-01" } };
  },
};
const validRequest = async (method: string, template: string) => (await VALID_REQUEST[`${method} ${template}`]?.()) ?? {};

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
  customerId = customer.id;
  agreementId = (await db.supportAgreement.findFirstOrThrow({ where: { customerId: customer.id } })).id;
  customerAddress = `api-${id}@contract.example`;
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

  it("declares exactly the methods each route file exports, and every POST takes an Idempotency-Key", async () => {
    const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    for (const [template, load] of Object.entries(ROUTES)) {
      const exported = Object.keys(await load()).filter((name) => METHODS.includes(name));
      expect(exported.map((name) => name.toLowerCase()).sort(), template).toEqual(Object.keys(document.paths[template]!).sort());
    }
    const posts = Object.values(document.paths).flatMap((item) =>
      item.post ? [item.post as unknown as { parameters?: { in: string; name: string; required?: boolean }[] }] : [],
    );
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) expect(post.parameters).toContainEqual(expect.objectContaining({ in: "header", name: "Idempotency-Key", required: true }));
  });
});

describe.each(
  Object.entries(document.paths).flatMap(([template, item]) => Object.entries(item).map(([method, operation]) => ({ template, method, operation }))),
)("$method $template", ({ template, method, operation }) => {
  const params = (): Record<string, string> => paramsFor(template);

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
    const { response, body } = await call(template, method, { token: allowed.token, params: params(), ...(await validRequest(method, template)) });
    const success = method === "post" ? 201 : 200;
    expect(response.status, JSON.stringify(body)).toBe(success);
    expect(response.headers.get("ratelimit-limit")).toBe(String(API_REQUESTS_PER_MINUTE));
    expect(Number(response.headers.get("ratelimit-remaining"))).toBe(API_REQUESTS_PER_MINUTE - 1);
    const audits = await db.auditEvent.findMany({ where: { subjectType: "api_token", subjectId: allowed.id, action: "api.request" } });
    expect(audits.map((audit) => (audit.details as { status: number }).status)).toEqual([success]);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: allowed.id } })).lastUsedAt).not.toBeNull();
  });

  if (template.includes("{id}")) {
    it("answers 404 for an unknown id (each path parameter) and 422 for a malformed one", async () => {
      const allowed = await token([operation["x-scope"]]);
      for (const name of template.match(/\{(\w+)\}/g)!.map((part) => part.slice(1, -1))) {
        const valid = await validRequest(method, template);
        const known = { ...params(), ...valid.params };
        const unknown = await call(template, method, { token: allowed.token, ...valid, params: { ...known, [name]: randomUUID() } });
        expect(unknown.response.status, `${name} unknown`).toBe(404);
      }
      const valid = await validRequest(method, template);
      const malformed = await call(template, method, { token: allowed.token, ...valid, params: { ...params(), ...valid.params, id: "42" } });
      expect(malformed.response.status).toBe(422);
      expect(malformed.body.errors).toEqual([{ field: "id", message: MALFORMED_ID[template.split("/")[1]!] }]);
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

async function staffUser(overrides: { role?: "agent" | "customer"; disabledAt?: Date; customerId?: string } = {}) {
  const id = randomUUID().slice(0, 8);
  return db.user.create({
    data: {
      email: `staff-${id}@contract.example`,
      name: `Staff ${id}`,
      role: overrides.role ?? "agent",
      disabledAt: overrides.disabledAt ?? null,
      customerId: overrides.customerId ?? null,
    },
  });
}

async function subscribedEndpoint() {
  return db.webhookEndpoint.create({
    data: { url: "https://hooks.contract.example/in", events: ["ticket.created", "ticket.updated", "message.created"], secretSealed: "unused" },
  });
}

const webhookEvents = async (endpointId: string, ticket: string) =>
  (await db.outboxMessage.findMany({ where: { channel: "webhook", recipient: endpointId }, select: { subject: true, textBody: true } }))
    .filter((row) => row.textBody?.includes(ticket))
    .map((row) => row.subject);

describe("POST /tickets", () => {
  const create = (writer: string, key: string, body: unknown) => call("/tickets", "post", { token: writer, headers: { "idempotency-key": key }, body });

  it("creates a ticket for the customer as the console does: first message, acknowledgement, audit naming the token, ticket.created webhook", async () => {
    const writer = await token(["tickets:write"]);
    const endpoint = await subscribedEndpoint();
    const { response, body } = await create(writer.token, randomUUID(), {
      customerId,
      requesterAddress: customerAddress,
      subject: `  Router ${mark}  `,
      body: "The router blinks red.",
      channel: "email",
      priority: "urgent",
    });
    expect(response.status).toBe(201);
    expect(body).toMatchObject({
      subject: `Router ${mark}`,
      status: "new",
      priority: "urgent",
      channel: "email",
      customerId,
      requester: { address: customerAddress },
    });
    expect(response.headers.get("location")).toBe(`/api/v1/tickets/${body.id}`);
    expect(response.headers.get("etag")).toBe(await etagOf(body.id));
    const messages = await db.ticketMessage.findMany({ where: { ticketId: body.id } });
    expect(messages.map((m) => [m.kind, m.body, m.authorAddress])).toEqual([["public_reply", "The router blinks red.", customerAddress]]);
    expect(await db.outboxMessage.count({ where: { channel: "email", recipient: customerAddress, kind: { contains: "ack" } } })).toBeGreaterThan(0);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "ticket.created", subjectId: body.id } });
    expect(audit.details).toMatchObject({ startedBy: "api", apiTokenId: writer.id, channel: "email" });
    expect(await webhookEvents(endpoint.id, body.id)).toEqual(["ticket.created"]);
    await db.webhookEndpoint.delete({ where: { id: endpoint.id } });
  });

  it("answers a retry with the same key with the first answer and makes no second ticket; another body with that key is 422", async () => {
    const writer = await token(["tickets:write"]);
    const key = randomUUID();
    const request = { customerId, subject: `Retry ${mark}`, body: "Once only.", channel: "web" };
    const first = await create(writer.token, key, request);
    const again = await create(writer.token, key, request);
    expect(first.response.status).toBe(201);
    expect(again.response.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    expect(await db.ticket.count({ where: { subject: `Retry ${mark}` } })).toBe(1);
    const other = await create(writer.token, key, { ...request, body: "Something else." });
    expect(other.response.status).toBe(422);
    expect(other.body.errors).toEqual([{ field: "Idempotency-Key", message: "Already used for another request." }]);
    // The key is the token's own: another token may use the same value for its own request.
    const otherWriter = await token(["tickets:write"]);
    expect((await create(otherWriter.token, key, { ...request, subject: `Retry other ${mark}` })).response.status).toBe(201);

    // After 24 hours the key is forgotten (swept by a later POST): the same key makes a new ticket.
    await db.apiIdempotencyKey.update({ where: { tokenId_key: { tokenId: writer.id, key } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await create(writer.token, randomUUID(), { ...request, subject: `Sweeper ${mark}` })).response.status).toBe(201);
    expect(await db.apiIdempotencyKey.count({ where: { tokenId: writer.id, key } })).toBe(0);
    expect((await create(writer.token, key, request)).response.status).toBe(201);
    expect(await db.ticket.count({ where: { subject: `Retry ${mark}` } })).toBe(2);
  });

  it("lets a retry take over a key whose first request died mid-way (its lease ran out), and run once", async () => {
    const writer = await token(["tickets:write"]);
    const key = randomUUID();
    const request = { customerId, subject: `Taken over ${mark}`, body: "The first instance died.", channel: "web" };
    // What a crashed instance leaves: the claim, no answer, its lease over.
    const url = new URL("http://127.0.0.1/api/v1/tickets");
    await db.apiIdempotencyKey.create({
      data: {
        tokenId: writer.id,
        key,
        fingerprint: idempotencyFingerprint("POST", url, Buffer.from(JSON.stringify(request))),
        lockedUntil: new Date(Date.now() - 1000),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const answers = await Promise.all([create(writer.token, key, request), create(writer.token, key, request)]);
    expect(answers.map((answer) => answer.response.status)).toEqual([201, 201]);
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    expect(await db.ticket.count({ where: { subject: `Taken over ${mark}` } })).toBe(1);
  });

  it("makes exactly one ticket from 5 concurrent requests with one key, and all 5 get its answer", async () => {
    const writer = await token(["tickets:write"]);
    const key = randomUUID();
    const request = { customerId, subject: `Concurrent ${mark}`, body: "Five at once.", channel: "phone" };
    const answers = await Promise.all(Array.from({ length: 5 }, () => create(writer.token, key, request)));
    expect(answers.map((answer) => answer.response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await db.ticket.count({ where: { subject: `Concurrent ${mark}` } })).toBe(1);
  });

  it("refuses a POST without an Idempotency-Key, and a bad body with a 422 naming each field", async () => {
    const writer = await token(["tickets:write"]);
    const missing = await call("/tickets", "post", { token: writer.token, body: { customerId, subject: "No key", body: "x", channel: "web" } });
    expect(missing.response.status).toBe(422);
    expect(missing.body.errors[0].field).toBe("Idempotency-Key");
    const bad = await create(writer.token, randomUUID(), {
      customerId: "42",
      subject: "a",
      body: "ok\u0000",
      channel: "fax",
      priority: "whenever",
      requesterAddress: "not an address",
      extra: 1,
    });
    expect(bad.response.status).toBe(422);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["body"]);
    const fields = await create(writer.token, randomUUID(), {
      customerId: "42",
      subject: "a",
      body: "ok",
      channel: "fax",
      priority: "whenever",
      requesterAddress: "not an address",
      extra: 1,
    });
    expect(fields.response.status).toBe(422);
    expect([...new Set(fields.body.errors.map((error: { field: string }) => error.field))].sort()).toEqual([
      "body",
      "channel",
      "customerId",
      "priority",
      "requesterAddress",
      "subject",
    ]);
    const notJson = await create(writer.token, randomUUID(), "{nope");
    expect(notJson.response.status).toBe(422);
    const surrogate = await create(writer.token, randomUUID(), `{"customerId":"${customerId}","subject":"Half \\ud83d emoji","body":"x","channel":"web"}`);
    expect(surrogate.response.status).toBe(422);
    expect(surrogate.body.errors[0].field).toBe("subject");
  });

  it("refuses an unknown customer (422), another customer's portal account (422), and a merged record (409)", async () => {
    const writer = await token(["tickets:write"]);
    const unknown = await create(writer.token, randomUUID(), { customerId: randomUUID(), subject: "Unknown customer", body: "x", channel: "web" });
    expect(unknown.response.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe("customerId");
    const stranger = await staffUser({ role: "customer" });
    const notTheirs = await create(writer.token, randomUUID(), { customerId, requesterUserId: stranger.id, subject: "Not theirs", body: "x", channel: "web" });
    expect(notTheirs.response.status).toBe(422);
    expect(notTheirs.body.errors[0].field).toBe("requesterUserId");
    const absorbed = await db.customer.create({ data: { accountNumber: `API-M-${randomUUID().slice(0, 8)}`, name: "Absorbed", mergedIntoId: customerId } });
    const merged = await create(writer.token, randomUUID(), { customerId: absorbed.id, subject: "Merged", body: "x", channel: "web" });
    expect(merged.response.status).toBe(409);
  });
});

describe("PATCH /tickets/{id}", () => {
  async function freshTicket() {
    return db.ticket.create({ data: { subject: `Patch ${mark}`, channel: "web", customerId, requesterAddress: customerAddress } });
  }
  const patch = (writer: string, id: string, body: unknown, ifMatch?: string) =>
    call("/tickets/{id}", "patch", { token: writer, params: { id }, body, headers: ifMatch === undefined ? {} : { "if-match": ifMatch } });

  it("needs If-Match (428), refuses a stale ETag (412, naming the current one), and answers a change with the new ETag", async () => {
    const writer = await token(["tickets:write", "tickets:read"]);
    const ticket = await freshTicket();
    const read = await call("/tickets/{id}", "get", { token: writer.token, params: { id: ticket.id } });
    const etag = read.response.headers.get("etag")!;
    expect(etag).toMatch(/^"v\d+"$/);
    expect((await patch(writer.token, ticket.id, { status: "open" })).response.status).toBe(428);
    expect((await patch(writer.token, ticket.id, { status: "open" }, "*")).response.status).toBe(428);
    const changed = await patch(writer.token, ticket.id, { status: "open", priority: "high" }, etag);
    expect(changed.response.status).toBe(200);
    expect(changed.body).toMatchObject({ status: "open", priority: "high" });
    const newEtag = changed.response.headers.get("etag")!;
    expect(newEtag).not.toBe(etag);
    expect(newEtag).toBe(await etagOf(ticket.id));
    const stale = await patch(writer.token, ticket.id, { priority: "low" }, etag);
    expect(stale.response.status).toBe(412);
    expect(stale.response.headers.get("etag")).toBe(newEtag);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).priority).toBe("high");
    // Weak tags never match (strong comparison).
    expect((await patch(writer.token, ticket.id, { priority: "low" }, `W/${newEtag}`)).response.status).toBe(412);
  });

  it("lets exactly one of two concurrent writers with the same ETag win; the other gets 412", async () => {
    const writer = await token(["tickets:write"]);
    const ticket = await freshTicket();
    const etag = await etagOf(ticket.id);
    const answers = await Promise.all([
      patch(writer.token, ticket.id, { priority: "low" }, etag),
      patch(writer.token, ticket.id, { priority: "urgent" }, etag),
    ]);
    expect(answers.map((answer) => answer.response.status).sort()).toEqual([200, 412]);
    const winner = answers.find((answer) => answer.response.status === 200)!;
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).priority).toBe(winner.body.priority);
  });

  it("follows the agents' rules: no move back to new (409), active staff only as assignee (422), the change audited against the token", async () => {
    const writer = await token(["tickets:write"]);
    const endpoint = await subscribedEndpoint();
    const ticket = await freshTicket();
    const opened = await patch(writer.token, ticket.id, { status: "open" }, await etagOf(ticket.id));
    expect(opened.response.status).toBe(200);
    const back = await patch(writer.token, ticket.id, { status: "new" }, await etagOf(ticket.id));
    expect(back.response.status).toBe(409);
    expect(back.body.errors[0].field).toBe("status");
    const customerUser = await staffUser({ role: "customer" });
    const gone = await staffUser({ disabledAt: new Date() });
    for (const assigneeId of [customerUser.id, gone.id, randomUUID()]) {
      const refused = await patch(writer.token, ticket.id, { assigneeId }, await etagOf(ticket.id));
      expect(refused.response.status).toBe(422);
      expect(refused.body.errors[0].field).toBe("assigneeId");
    }
    const agent = await staffUser();
    const assigned = await patch(writer.token, ticket.id, { assigneeId: agent.id }, await etagOf(ticket.id));
    expect(assigned.response.status).toBe(200);
    expect(assigned.body.assignee).toEqual({ id: agent.id, name: agent.name });
    const nothing = await patch(writer.token, ticket.id, {}, await etagOf(ticket.id));
    expect(nothing.response.status).toBe(422);
    const audits = await db.auditEvent.findMany({ where: { subjectId: ticket.id, action: { in: ["ticket.updated", "ticket.assigned"] } } });
    expect(audits.map((audit) => audit.action).sort()).toEqual(["ticket.assigned", "ticket.updated"]);
    expect(audits.every((audit) => (audit.details as { apiTokenId?: string }).apiTokenId === writer.id && audit.actorUserId === null)).toBe(true);
    expect(await webhookEvents(endpoint.id, ticket.id)).toEqual(["ticket.updated", "ticket.updated"]);
    await db.webhookEndpoint.delete({ where: { id: endpoint.id } });
  });
});

describe("POST /tickets/{id}/messages", () => {
  const post = (writer: string, id: string, body: unknown) =>
    call("/tickets/{id}/messages", "post", { token: writer, params: { id }, headers: { "idempotency-key": randomUUID() }, body });

  it("sends a public reply through the outbox as the console does, moving a new ticket to open; a note is emailed to nobody", async () => {
    const writer = await token(["tickets:write"]);
    const endpoint = await subscribedEndpoint();
    const ticket = await db.ticket.create({ data: { subject: `Reply ${mark}`, channel: "email", customerId, requesterAddress: customerAddress } });
    const reply = await post(writer.token, ticket.id, { kind: "public_reply", body: "We are on it.", thenStatus: "pending" });
    expect(reply.response.status).toBe(201);
    expect(reply.body).toMatchObject({ ticketId: ticket.id, kind: "public_reply", emailedTo: customerAddress, ticketStatus: "pending" });
    const stored = await db.ticketMessage.findUniqueOrThrow({ where: { id: reply.body.id }, include: { outbox: true } });
    expect(stored.outbox).toMatchObject({ kind: "ticket-reply", recipient: customerAddress });
    expect(stored).toMatchObject({ authorUserId: null, authorApiTokenId: writer.id });
    const note = await post(writer.token, ticket.id, { kind: "internal_note", body: "Customer is VIP." });
    expect(note.response.status).toBe(201);
    expect(note.body).toMatchObject({ kind: "internal_note", emailedTo: null, ticketStatus: "pending" });
    expect(await db.outboxMessage.count({ where: { channel: "email", recipient: customerAddress, kind: "ticket-reply", textBody: { contains: "VIP" } } })).toBe(
      0,
    );
    expect((await webhookEvents(endpoint.id, ticket.id)).sort()).toEqual(["message.created", "message.created", "ticket.updated"]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "ticket.replied", subjectId: ticket.id } });
    expect(audit.details).toMatchObject({ emailed: true, apiTokenId: writer.id });
    await db.webhookEndpoint.delete({ where: { id: endpoint.id } });
  });

  it("refuses a note that sets a status, an empty body and unknown fields with a 422 naming each", async () => {
    const writer = await token(["tickets:write"]);
    const bad = await post(writer.token, ticketId, { kind: "internal_note", body: "x", thenStatus: "solved" });
    expect(bad.response.status).toBe(422);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(["thenStatus"]);
    const empty = await post(writer.token, ticketId, { kind: "shout", body: "   ", attachmentIds: [] });
    expect(empty.response.status).toBe(422);
    expect(empty.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["body", "body", "kind"].slice(0, empty.body.errors.length).sort());
  });
});

describe("hostile bodies", () => {
  it("never answer 5xx: wrong types, nesting, invalid UTF-8, other content types, oversized bodies", async () => {
    const writer = await token(["tickets:write", "customers:write"]);
    const bodies: (string | Uint8Array<ArrayBuffer>)[] = [
      "null",
      "[]",
      "42",
      '"text"',
      "{}",
      `{"customerId":${"[".repeat(5000)}${"]".repeat(5000)}}`,
      `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      '{"__proto__":{"x":1},"constructor":{"prototype":{}}}',
      `{"subject":"${"x".repeat(100_000)}","body":"y","channel":"web","customerId":"${randomUUID()}"}`,
      '{"kind":"public_reply","body":{"nested":"\\u0000"}}',
      '{"status":"open","priority":null,"assigneeId":123}',
      new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    ];
    // Every operation that reads a body (the document says which).
    const operations = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([, operation]) => "requestBody" in operation)
        .map(([method]) => ({ template, method })),
    );
    expect(operations).toHaveLength(10);
    for (const { template, method } of operations) {
      for (const raw of bodies) {
        for (const contentType of ["application/json", "text/plain"]) {
          const headers: Record<string, string> = { "content-type": contentType, "idempotency-key": randomUUID(), "if-match": '"v1"' };
          const module = await ROUTES[template]!();
          const request = new Request(`http://127.0.0.1/api/v1${template.replace("{id}", paramsFor(template).id ?? "")}`, {
            method: method.toUpperCase(),
            headers: { ...headers, authorization: `Bearer ${writer.token}` },
            body: raw,
          });
          const response = await module[method.toUpperCase()]!(request, { params: Promise.resolve(paramsFor(template)) });
          expect(response.status, `${method} ${template} ${contentType} ${String(raw).slice(0, 40)}`).toBe(422);
          validateAgainstDocument(template, method, response, await response.json());
        }
      }
    }
    const huge = await call("/tickets", "post", { token: writer.token, headers: { "idempotency-key": randomUUID() }, body: "x".repeat(300 * 1024) });
    expect(huge.response.status).toBe(413);
  });
});

describe("GET /customers and GET /customers/{id}", () => {
  it("finds a customer by name, account number, any address and phone, and pages with page.next", async () => {
    const reader = await token(["customers:read"]);
    const marker = `Quokka${short()}`;
    const made = [];
    for (const n of [1, 2, 3]) made.push(await freshCustomer({ name: `${marker} ${n}` }));
    const alias = `quokka-${short()}@contract.example`;
    await db.customerEmail.create({ data: { customerId: made[0]!.id, address: alias, normalized: alias } });
    const mobile = freshMobile();
    await db.customerPhone.create({ data: { customerId: made[1]!.id, e164: mobile, kind: "mobile" } });

    const byName = await call("/customers", "get", { token: reader.token, query: `?q=${marker}&page[size]=2` });
    expect(byName.body.data.map((row: { name: string }) => row.name)).toEqual([`${marker} 1`, `${marker} 2`]);
    expect(byName.body.data[0]).toMatchObject({ matchedBy: expect.any(String), maskedPrimaryEmail: expect.stringContaining("•") });
    const rest = await call("/customers", "get", { token: reader.token, query: `?q=${marker}&page[size]=2&page[after]=${byName.body.page.next}` });
    expect(rest.body.data.map((row: { name: string }) => row.name)).toEqual([`${marker} 3`]);
    expect(rest.body.page.next).toBeNull();

    for (const [q, expected] of [
      [made[2]!.accountNumber, made[2]!.id],
      [alias.toUpperCase(), made[0]!.id],
      [encodeURIComponent(mobile), made[1]!.id],
    ] as const) {
      const found = await call("/customers", "get", { token: reader.token, query: `?q=${q}` });
      expect(
        found.body.data.map((row: { id: string }) => row.id),
        q,
      ).toEqual([expected]);
    }
  });

  it("refuses bad parameters with a 422 naming each, and a cursor of another sort", async () => {
    const reader = await token(["customers:read"]);
    const bad = await call("/customers", "get", { token: reader.token, query: "?page[size]=0&sort=shoe&q=%00x" });
    expect(bad.response.status).toBe(422);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["page[size]", "q", "sort"]);
    const first = await call("/customers", "get", { token: reader.token, query: "?page[size]=1&sort=newest" });
    const mixed = await call("/customers", "get", { token: reader.token, query: `?sort=name&page[after]=${first.body.page.next}` });
    expect(mixed.response.status).toBe(422);
    expect(mixed.body.errors[0].field).toBe("page[after]");
  });

  it("returns the addresses, numbers, organisation, agreements and identity evidence, with its ETag", async () => {
    const reader = await token(["customers:read"]);
    const organisation = await db.organisation.create({ data: { name: `Org ${short()}`, normalizedName: `org ${short()}` } });
    const customer = await freshCustomer();
    await db.customer.update({ where: { id: customer.id }, data: { organisationId: organisation.id } });
    await db.customerEmail.update({ where: { id: customer.emails[0]!.id }, data: { verifiedAt: new Date() } });
    const mobile = freshMobile();
    await db.customerPhone.create({ data: { customerId: customer.id, e164: mobile, kind: "mobile" } });
    await db.supportAgreement.create({
      data: {
        organisationId: organisation.id,
        reference: `AG-O-${short()}`,
        tier: "premium",
        startsOn: new Date("2020-01-01"),
        endsOn: new Date("2099-01-01"),
      },
    });
    const { response, body } = await call("/customers/{id}", "get", { token: reader.token, params: { id: customer.id } });
    expect(response.headers.get("etag")).toBe(await customerEtagOf(customer.id));
    expect(body).toMatchObject({
      id: customer.id,
      organisation: { id: organisation.id },
      mergedIntoId: null,
      emails: [{ address: customer.emails[0]!.address, isPrimary: true, verified: true }],
      phones: [{ e164: mobile, kind: "mobile", verified: false }],
      agreements: [{ tier: "premium", state: "valid", customerId: null, organisationId: organisation.id }],
      entitlement: { status: "valid", tier: "premium" },
      identity: { verifiedEmails: 1, verifiedPhones: 0, portalAccounts: [], lastCheck: null },
    });
  });
});

describe("POST /customers", () => {
  const create = (writer: string, key: string, body: unknown) => call("/customers", "post", { token: writer, headers: { "idempotency-key": key }, body });

  it("creates a customer with its primary address and a number (normalised, unverified), audited against the token", async () => {
    const writer = await token(["customers:write"]);
    const organisation = await db.organisation.create({ data: { name: `Org ${short()}`, normalizedName: `org ${short()}` } });
    const account = `API-NEW-${short()}`;
    const address = `New.Person-${short()}@Contract.Example`;
    const { response, body } = await create(writer.token, randomUUID(), {
      name: "  New   Person ",
      accountNumber: account,
      organisationId: organisation.id,
      email: address,
      phone: { number: "07400 123456", country: "GB", kind: "mobile" },
    });
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({
      name: "New Person",
      accountNumber: account,
      organisation: { id: organisation.id },
      emails: [{ isPrimary: true, verified: false }],
      phones: [{ e164: "+447400123456", verified: false }],
    });
    expect(response.headers.get("location")).toBe(`/api/v1/customers/${body.id}`);
    expect(response.headers.get("etag")).toBe(await customerEtagOf(body.id));
    expect((await db.customerEmail.findFirstOrThrow({ where: { customerId: body.id } })).normalized).toBe(address.toLowerCase());
    const audits = await db.auditEvent.findMany({
      where: { subjectId: body.id, action: { in: ["customer.created", "customer.email_added", "customer.phone_added"] } },
    });
    expect(audits).toHaveLength(3);
    expect(audits.every((audit) => audit.actorUserId === null && (audit.details as { apiTokenId?: string }).apiTokenId === writer.id)).toBe(true);
  });

  it("refuses an account number, address or number another customer holds (409 naming the field) and creates nothing", async () => {
    const writer = await token(["customers:write"]);
    const holder = await freshCustomer();
    await db.customerEmail.update({ where: { id: holder.emails[0]!.id }, data: { verifiedAt: new Date() } });
    const mobile = freshMobile();
    await db.customerPhone.create({ data: { customerId: holder.id, e164: mobile, kind: "mobile" } });
    const name = `Refused ${short()}`;
    const cases = [
      [{ accountNumber: holder.accountNumber }, "accountNumber"],
      [{ accountNumber: `API-R-${short()}`, email: holder.emails[0]!.address.toUpperCase() }, "email"],
      [{ accountNumber: `API-R-${short()}`, phone: { number: mobile, kind: "mobile" } }, "phone"],
    ] as const;
    for (const [fields, field] of cases) {
      const refused = await create(writer.token, randomUUID(), { name, ...fields });
      expect(refused.response.status, field).toBe(409);
      expect(refused.body.errors[0].field).toBe(field);
      expect(refused.body.detail).toContain(holder.accountNumber);
    }
    expect(await db.customer.count({ where: { name } })).toBe(0);
    // The verified address stays where it was, verified: nothing is ever moved.
    expect(await db.customerEmail.findUniqueOrThrow({ where: { id: holder.emails[0]!.id } })).toMatchObject({
      customerId: holder.id,
      verifiedAt: expect.any(Date),
    });
  });

  it("refuses bad fields with a 422 naming each (the contact editor's rules)", async () => {
    const writer = await token(["customers:write"]);
    const bad = await create(writer.token, randomUUID(), {
      name: "",
      accountNumber: "has spaces",
      email: "not an address",
      phone: { number: "12", country: "GB", kind: "pager" },
      organisationId: "x",
      extra: true,
    });
    expect(bad.response.status).toBe(422);
    expect([...new Set(bad.body.errors.map((error: { field: string }) => error.field))].sort(), JSON.stringify(bad.body.errors)).toEqual(
      ["accountNumber", "body", "email", "name", "organisationId", "phone.kind"].sort(),
    );
    const unknownOrganisation = await create(writer.token, randomUUID(), { name: "Orphan", accountNumber: `API-O-${short()}`, organisationId: randomUUID() });
    expect(unknownOrganisation.response.status).toBe(422);
    expect(unknownOrganisation.body.errors[0].field).toBe("organisationId");
  });

  it("makes exactly one customer from 5 concurrent requests with one key, and all 5 get its answer", async () => {
    const writer = await token(["customers:write"]);
    const key = randomUUID();
    const account = `API-IDEM-${short()}`;
    const request = { name: "Idempotent Person", accountNumber: account, email: `idem-${short()}@contract.example` };
    const answers = await Promise.all(Array.from({ length: 5 }, () => create(writer.token, key, request)));
    expect(answers.map((answer) => answer.response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.response.headers.get("idempotent-replayed") === "true")).toHaveLength(4);
    expect(await db.customer.count({ where: { accountNumber: account } })).toBe(1);
    // A retry later still gets the first answer; the same key with another body is refused.
    expect((await create(writer.token, key, request)).body.id).toBe(answers[0]!.body.id);
    expect((await create(writer.token, key, { ...request, name: "Someone Else" })).response.status).toBe(422);
  });
});

describe("PATCH /customers/{id}", () => {
  const patch = (writer: string, id: string, body: unknown, ifMatch?: string) =>
    call("/customers/{id}", "patch", { token: writer, params: { id }, body, headers: ifMatch === undefined ? {} : { "if-match": ifMatch } });

  it("needs If-Match (428), refuses a stale ETag (412 naming the current one), and answers a change with the new ETag", async () => {
    const writer = await token(["customers:write", "customers:read"]);
    const customer = await freshCustomer();
    const read = await call("/customers/{id}", "get", { token: writer.token, params: { id: customer.id } });
    const etag = read.response.headers.get("etag")!;
    expect((await patch(writer.token, customer.id, { name: "Renamed" })).response.status).toBe(428);
    expect((await patch(writer.token, customer.id, { name: "Renamed" }, "*")).response.status).toBe(428);
    const account = `API-REN-${short()}`;
    const changed = await patch(writer.token, customer.id, { name: "Renamed  Person", accountNumber: account }, etag);
    expect(changed.response.status).toBe(200);
    expect(changed.body).toMatchObject({ name: "Renamed Person", accountNumber: account });
    const newEtag = changed.response.headers.get("etag")!;
    expect(newEtag).not.toBe(etag);
    expect(newEtag).toBe(await customerEtagOf(customer.id));
    const stale = await patch(writer.token, customer.id, { name: "Lost update" }, etag);
    expect(stale.response.status).toBe(412);
    expect(stale.response.headers.get("etag")).toBe(newEtag);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe("Renamed Person");
    // Any change of the row moves the version, whoever makes it (the trigger).
    await db.customer.update({ where: { id: customer.id }, data: { name: "Changed in the console" } });
    expect(await customerEtagOf(customer.id)).not.toBe(newEtag);
    expect((await patch(writer.token, customer.id, { name: "Too late" }, newEtag)).response.status).toBe(412);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { subjectId: customer.id, action: "customer.profile_changed" } });
    expect(audit.details).toMatchObject({ fields: ["name", "accountNumber"], apiTokenId: writer.id });
  });

  it("lets exactly one of two concurrent writers with the same ETag win; the other gets 412", async () => {
    const writer = await token(["customers:write"]);
    const customer = await freshCustomer();
    const etag = await customerEtagOf(customer.id);
    const answers = await Promise.all([
      patch(writer.token, customer.id, { name: "Writer One" }, etag),
      patch(writer.token, customer.id, { name: "Writer Two" }, etag),
    ]);
    expect(answers.map((answer) => answer.response.status).sort()).toEqual([200, 412]);
    const winner = answers.find((answer) => answer.response.status === 200)!;
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe(winner.body.name);
  });

  it("moves the customer to an organisation and out, refuses another's account number (409) and a merged record (409)", async () => {
    const writer = await token(["customers:write"]);
    const organisation = await db.organisation.create({ data: { name: `Org ${short()}`, normalizedName: `org ${short()}` } });
    const customer = await freshCustomer();
    const joined = await patch(writer.token, customer.id, { organisationId: organisation.id }, await customerEtagOf(customer.id));
    expect(joined.body.organisation).toEqual({ id: organisation.id, name: organisation.name });
    const left = await patch(writer.token, customer.id, { organisationId: null }, await customerEtagOf(customer.id));
    expect(left.body.organisation).toBeNull();
    const nowhere = await patch(writer.token, customer.id, { organisationId: randomUUID() }, await customerEtagOf(customer.id));
    expect(nowhere.response.status).toBe(422);
    expect(nowhere.body.errors[0].field).toBe("organisationId");
    const other = await freshCustomer();
    const taken = await patch(writer.token, customer.id, { accountNumber: other.accountNumber }, await customerEtagOf(customer.id));
    expect(taken.response.status).toBe(409);
    expect(taken.body.errors[0].field).toBe("accountNumber");
    const absorbed = await freshCustomer({ mergedIntoId: customer.id });
    const merged = await patch(writer.token, absorbed.id, { name: "Absorbed" }, await customerEtagOf(absorbed.id));
    expect(merged.response.status).toBe(409);
    expect(merged.body.detail).toMatch(/merged/);
    // Read as the customer page shows it: the record as it is, naming its survivor.
    const reader = await token(["customers:read"]);
    const read = await call("/customers/{id}", "get", { token: reader.token, params: { id: absorbed.id } });
    expect(read.response.status).toBe(200);
    expect(read.body.mergedIntoId).toBe(customer.id);
    const nothing = await patch(writer.token, customer.id, {}, await customerEtagOf(customer.id));
    expect(nothing.response.status).toBe(422);
  });
});

describe("addresses and phones", () => {
  const post = (writer: string, template: "/customers/{id}/emails" | "/customers/{id}/phones", id: string, body: unknown) =>
    call(template, "post", { token: writer, params: { id }, headers: { "idempotency-key": randomUUID() }, body });

  it("adds an alias (normalised), refuses one another customer holds or this one has (409), never moves a verified one", async () => {
    const writer = await token(["customers:write"]);
    const customer = await freshCustomer();
    const alias = `Alias.${short()}@Contract.Example`;
    const added = await post(writer.token, "/customers/{id}/emails", customer.id, { address: `  ${alias}  ` });
    expect(added.response.status).toBe(201);
    expect(added.body.emails).toEqual([
      expect.objectContaining({ isPrimary: true }),
      expect.objectContaining({ address: alias, isPrimary: false, verified: false }),
    ]);
    const again = await post(writer.token, "/customers/{id}/emails", customer.id, { address: alias.toLowerCase() });
    expect(again.response.status).toBe(409);
    expect(again.body.errors[0].field).toBe("address");
    const holder = await freshCustomer();
    await db.customerEmail.update({ where: { id: holder.emails[0]!.id }, data: { verifiedAt: new Date() } });
    const theirs = await post(writer.token, "/customers/{id}/emails", customer.id, { address: holder.emails[0]!.address });
    expect(theirs.response.status).toBe(409);
    expect(theirs.body.detail).toContain(holder.accountNumber);
    expect(await db.customerEmail.findUniqueOrThrow({ where: { id: holder.emails[0]!.id } })).toMatchObject({
      customerId: holder.id,
      verifiedAt: expect.any(Date),
    });
    const bad = await post(writer.token, "/customers/{id}/emails", customer.id, { address: "no-at-sign" });
    expect(bad.response.status).toBe(422);
    expect(bad.body.errors[0].field).toBe("address");
    const absorbed = await freshCustomer({ mergedIntoId: customer.id });
    expect((await post(writer.token, "/customers/{id}/emails", absorbed.id, { address: `m-${short()}@contract.example` })).response.status).toBe(409);
  });

  it("removes an alias (verified too), never the primary (409), and only the customer's own (404)", async () => {
    const writer = await token(["customers:write"]);
    const customer = await freshCustomer();
    const alias = await db.customerEmail.create({
      data: { customerId: customer.id, address: `v-${short()}@contract.example`, normalized: `v-${short()}@contract.example`, verifiedAt: new Date() },
    });
    const remove = (id: string, emailId: string) => call("/customers/{id}/emails/{emailId}", "delete", { token: writer.token, params: { id, emailId } });
    const primary = await remove(customer.id, customer.emails[0]!.id);
    expect(primary.response.status).toBe(409);
    expect(primary.body.errors[0].field).toBe("emailId");
    const other = await freshCustomer();
    expect((await remove(other.id, alias.id)).response.status).toBe(404);
    const removed = await remove(customer.id, alias.id);
    expect(removed.response.status).toBe(200);
    expect(removed.body.emails.map((email: { id: string }) => email.id)).toEqual([customer.emails[0]!.id]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { subjectId: customer.id, action: "customer.email_removed" } });
    expect(audit.details).toMatchObject({ customerEmailId: alias.id, wasVerified: true, apiTokenId: writer.id });
  });

  it("adds a number read in its country as E.164, refuses an invalid one (422) and one another customer holds (409), and removes it", async () => {
    const writer = await token(["customers:write"]);
    const customer = await freshCustomer();
    const national = freshMobile().replace("+44", "0");
    const added = await post(writer.token, "/customers/{id}/phones", customer.id, { number: national, kind: "mobile" });
    expect(added.response.status).toBe(201);
    const e164 = `+44${national.slice(1)}`;
    expect(added.body.phones).toEqual([expect.objectContaining({ e164, kind: "mobile", verified: false })]);
    const twice = await post(writer.token, "/customers/{id}/phones", customer.id, { number: e164, kind: "fixed" });
    expect(twice.response.status).toBe(409);
    const other = await freshCustomer();
    const theirs = await post(writer.token, "/customers/{id}/phones", other.id, { number: e164, country: "FR", kind: "mobile" });
    expect(theirs.response.status).toBe(409);
    expect(theirs.body.errors[0].field).toBe("number");
    expect(theirs.body.detail).toContain(customer.accountNumber);
    const invalid = await post(writer.token, "/customers/{id}/phones", customer.id, { number: "0123", kind: "mobile", country: "ZZ" });
    expect(invalid.response.status).toBe(422);
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["country"]);
    const phoneId = added.body.phones[0].id as string;
    expect((await call("/customers/{id}/phones/{phoneId}", "delete", { token: writer.token, params: { id: other.id, phoneId } })).response.status).toBe(404);
    const removed = await call("/customers/{id}/phones/{phoneId}", "delete", { token: writer.token, params: { id: customer.id, phoneId } });
    expect(removed.response.status).toBe(200);
    expect(removed.body.phones).toEqual([]);
  });

  it("adds one address of two concurrent requests for it on two customers; the other is told who holds it", async () => {
    const writer = await token(["customers:write"]);
    const [first, second] = [await freshCustomer(), await freshCustomer()];
    const address = `race-${short()}@contract.example`;
    const answers = await Promise.all([
      post(writer.token, "/customers/{id}/emails", first.id, { address }),
      post(writer.token, "/customers/{id}/emails", second.id, { address }),
    ]);
    expect(answers.map((answer) => answer.response.status).sort()).toEqual([201, 409]);
    expect(await db.customerEmail.count({ where: { normalized: address } })).toBe(1);
  });
});

describe("agreements", () => {
  it("lists a customer's agreements, adds one (409 for a taken reference, 422 for days the wrong way round), extends and cancels it", async () => {
    const reader = await token(["customers:read"]);
    const writer = await token(["customers:write"]);
    const customer = await freshCustomer();
    const empty = await call("/customers/{id}/agreements", "get", { token: reader.token, params: { id: customer.id } });
    expect(empty.body).toEqual({ data: [], entitlement: { status: "none", tier: null, endsOn: null } });
    const reference = `ag-${short()}`;
    const add = (body: unknown) =>
      call("/customers/{id}/agreements", "post", { token: writer.token, params: { id: customer.id }, headers: { "idempotency-key": randomUUID() }, body });
    const added = await add({ reference, tier: "standard", startsOn: "2020-01-01", endsOn: "2099-12-31" });
    expect(added.response.status).toBe(201);
    expect(added.body).toMatchObject({ reference: reference.toUpperCase(), tier: "standard", state: "valid", customerId: customer.id });
    expect(added.response.headers.get("location")).toBe(`/api/v1/agreements/${added.body.id}`);
    const listed = await call("/customers/{id}/agreements", "get", { token: reader.token, params: { id: customer.id } });
    expect(listed.body.entitlement).toEqual({ status: "valid", tier: "standard", endsOn: "2099-12-31" });
    const taken = await add({ reference, tier: "basic", startsOn: "2020-01-01", endsOn: "2020-12-31" });
    expect(taken.response.status).toBe(409);
    expect(taken.body.errors[0].field).toBe("reference");
    const backwards = await add({ reference: `AG-${short()}`, tier: "basic", startsOn: "2021-01-01", endsOn: "2020-12-31" });
    expect(backwards.response.status).toBe(422);
    expect(backwards.body.errors[0].field).toBe("endsOn");
    const impossible = await add({ reference: `AG-${short()}`, tier: "gold", startsOn: "2021-02-30", endsOn: "2021-12-31" });
    expect(impossible.response.status).toBe(422);
    expect(impossible.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["startsOn", "tier"]);

    const patch = (body: unknown) => call("/agreements/{id}", "patch", { token: writer.token, params: { id: added.body.id }, body });
    const shorter = await patch({ endsOn: "2098-01-01" });
    expect(shorter.response.status).toBe(422);
    expect(shorter.body.errors[0].field).toBe("endsOn");
    const extended = await patch({ endsOn: "2100-06-30" });
    expect(extended.response.status).toBe(200);
    expect(extended.body.endsOn).toBe("2100-06-30");
    expect((await patch({ status: "cancelled" })).response.status).toBe(422);
    expect((await patch({ tier: "premium" })).response.status).toBe(422);
    const cancelled = await patch({ status: "cancelled", reason: "The customer moved to another provider." });
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: "cancelled", cancelledAt: expect.any(String) });
    expect((await patch({ status: "cancelled", reason: "Cancelled a second time, by mistake." })).response.status).toBe(409);
    expect((await patch({ endsOn: "2101-01-01" })).response.status).toBe(409);
    const audits = await db.auditEvent.findMany({ where: { subjectId: added.body.id }, orderBy: { id: "asc" } });
    expect(audits.map((audit) => audit.action)).toEqual(["agreement.created", "agreement.extended", "agreement.cancelled"]);
    expect(audits.every((audit) => audit.actorUserId === null && (audit.details as { apiTokenId?: string }).apiTokenId === writer.id)).toBe(true);
  });

  it("adds no agreement to a merged record (409)", async () => {
    const writer = await token(["customers:write"]);
    const survivor = await freshCustomer();
    const absorbed = await freshCustomer({ mergedIntoId: survivor.id });
    const refused = await call("/customers/{id}/agreements", "post", {
      token: writer.token,
      params: { id: absorbed.id },
      headers: { "idempotency-key": randomUUID() },
      body: { reference: `AG-${short()}`, tier: "basic", startsOn: "2026-01-01", endsOn: "2026-12-31" },
    });
    expect(refused.response.status).toBe(409);
  });
});

describe("escalations", () => {
  it("raises one through the agents' service (note on the thread, audit and webhook naming the token); a second is 409, a closed ticket 409", async () => {
    const writer = await token(["tickets:write"]);
    const endpoint = await db.webhookEndpoint.create({
      data: { url: "https://hooks.contract.example/in", events: ["escalation.raised"], secretSealed: "unused" },
    });
    const ticket = await db.ticket.create({ data: { subject: `Escalate ${mark}`, channel: "web", customerId, requesterAddress: customerAddress } });
    const raise = (id: string, body: unknown) =>
      call("/tickets/{id}/escalations", "post", { token: writer.token, params: { id }, headers: { "idempotency-key": randomUUID() }, body });
    const raised = await raise(ticket.id, { reason: "customer_request", note: "  The customer asks for a manager.  " });
    expect(raised.response.status).toBe(201);
    expect(raised.body).toMatchObject({
      ticketId: ticket.id,
      reason: "customer_request",
      note: "The customer asks for a manager.",
      status: "open",
      raisedBy: null,
    });
    const note = await db.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "internal_note" } });
    expect(note).toMatchObject({ authorUserId: null, authorApiTokenId: writer.id });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "escalation.raised", subjectId: raised.body.id } });
    expect(audit).toMatchObject({ actorUserId: null, details: expect.objectContaining({ apiTokenId: writer.id }) });
    expect(await db.outboxMessage.count({ where: { channel: "webhook", recipient: endpoint.id, subject: "escalation.raised" } })).toBe(1);
    expect((await raise(ticket.id, { reason: "technical", note: "Again." })).response.status).toBe(409);
    const closed = await db.ticket.create({ data: { subject: `Closed ${mark}`, channel: "web", customerId, status: "closed" } });
    expect((await raise(closed.id, { reason: "technical", note: "Too late." })).response.status).toBe(409);
    const bad = await raise(ticket.id, { reason: "sla_breached", note: "" });
    expect(bad.response.status).toBe(422);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["note", "reason"]);
    await db.webhookEndpoint.delete({ where: { id: endpoint.id } });
  });

  it("lists escalations by status and ticket, oldest first, in pages", async () => {
    const reader = await token(["tickets:read"]);
    const ticket = await db.ticket.create({ data: { subject: `Listed ${mark}`, channel: "web", customerId } });
    const base = Date.now() - 60_000;
    for (const [n, status] of (["open", "claimed", "resolved"] as const).entries()) {
      await db.escalation.create({ data: { ticketId: ticket.id, reason: "technical", note: `n${n}`, status, raisedAt: new Date(base + n * 1000) } });
    }
    const list = (query: string) => call("/escalations", "get", { token: reader.token, query: `?ticketId=${ticket.id}&${query}` });
    expect((await list("")).body.data.map((row: { note: string }) => row.note)).toEqual(["n0", "n1"]);
    expect((await list("status=resolved")).body.data.map((row: { note: string }) => row.note)).toEqual(["n2"]);
    const first = await list("status=all&page[size]=2");
    expect(first.body.data.map((row: { note: string }) => row.note)).toEqual(["n0", "n1"]);
    const second = await list(`status=all&page[size]=2&page[after]=${first.body.page.next}`);
    expect(second.body.data.map((row: { note: string }) => row.note)).toEqual(["n2"]);
    expect(second.body.page.next).toBeNull();
    const bad = await list("status=lost&page[after]=nope");
    expect(bad.response.status).toBe(422);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(["status"]);
    const garbage = await list("page[after]=bm9wZQ");
    expect(garbage.response.status).toBe(422);
    expect(garbage.body.errors[0].field).toBe("page[after]");
  });
});
