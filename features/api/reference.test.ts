import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { openApiDocument } = await import("@/features/api/openapi");
const { apiReference } = await import("@/features/api/reference");

const document = openApiDocument() as unknown as Parameters<typeof apiReference>[0];
const reference = apiReference(document);
const operation = (id: string) => reference.tags.flatMap((tag) => tag.operations).find((candidate) => candidate.id === id)!;

describe("the API reference read from the OpenAPI document", () => {
  it("shows every operation of the document exactly once, grouped by its tag", () => {
    const documented = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => (op as { operationId: string }).operationId));
    const shown = reference.tags.flatMap((tag) => tag.operations.map((op) => op.id));
    expect(shown.sort()).toEqual(documented.sort());
    expect(reference.operationCount).toBe(documented.length);
    expect(reference.tags.map((tag) => tag.name)).toEqual(["Tickets", "Identity", "Customers", "Agreements", "Escalations"]);
    expect(new Set(reference.tags.flatMap((tag) => tag.operations.map((op) => op.anchor))).size).toBe(documented.length);
  });

  it("gives each operation its scope, parameters with their limits, and the request body's fields with $refs resolved", () => {
    const list = operation("listCustomers");
    expect(list).toMatchObject({ method: "GET", path: "/customers", scope: "customers:read" });
    expect(list.parameters.find((parameter) => parameter.name === "page[size]")).toMatchObject({
      in: "query",
      type: "integer",
      constraints: ["1–100", "default 25"],
    });
    const create = operation("createCustomer");
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: "Idempotency-Key", in: "header", required: true }));
    expect(create.requestBody).toMatchObject({ name: "CreateCustomer", contentType: "application/json", required: true });
    const fields = Object.fromEntries(create.requestBody!.fields.map((field) => [field.name, field]));
    expect(fields.name).toMatchObject({ required: true, type: "string", constraints: ["1–100 characters"] });
    expect(fields.email).toMatchObject({ required: false });
    expect(fields.phone!.fields.map((field) => field.name)).toEqual(["number", "country", "kind"]);
    expect(fields.phone!.fields[2]!.type).toBe('one of "mobile", "fixed", "other"');
  });

  it("names each answer's schema and expands the success body, nested objects and arrays included", () => {
    const get = operation("getCustomer");
    const ok = get.responses.find((response) => response.status === "200")!;
    expect(ok).toMatchObject({ contentType: "application/json", schema: { name: "Customer" } });
    expect(ok.headers.map((header) => header.name)).toEqual(["ETag"]);
    const emails = ok.schema!.fields.find((field) => field.name === "emails")!;
    expect(emails.type).toMatch(/^array of /);
    expect(emails.fields.map((field) => field.name)).toEqual(["id", "address", "isPrimary", "verified", "deliverability"]);
    const agreements = ok.schema!.fields.find((field) => field.name === "agreements")!;
    expect(agreements.type).toBe("array of Agreement");
    expect(agreements.fields.map((field) => field.name)).toContain("endsOn");
    expect(get.responses.find((response) => response.status === "404")).toMatchObject({ contentType: "application/problem+json", schema: { name: "Problem" } });
  });
});
