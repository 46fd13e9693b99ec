import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const requirePageActor = vi.fn(async () => ({ userId: "u", role: "admin" }));
vi.mock("@/platform/auth/guard", () => ({ requirePageActor }));
const { default: ApiReferencePage } = await import("@/features/api/pages/api-reference-page");
const { openApiDocument } = await import("@/features/api/openapi");

describe("the API reference page", () => {
  it("asks for an administrator, and renders every operation from the document with no script or remote asset", async () => {
    const html = renderToStaticMarkup(await ApiReferencePage());
    expect(requirePageActor).toHaveBeenCalledWith("admin");
    const document = openApiDocument() as unknown as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(html, operation.operationId).toContain(`id="op-${operation.operationId.toLowerCase()}"`);
        expect(html).toContain(`>${method.toUpperCase()}</span>`);
        expect(html).toContain(`>${path}</code>`);
      }
    }
    // One h1 (the header), a section per tag labelled by its h2, each operation a native disclosure.
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).toContain('<section aria-labelledby="tag-customers">');
    expect(html.match(/<details/g)!.length).toBe(Object.values(document.paths).flatMap((item) => Object.keys(item)).length);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // Field trees reach nested request fields (CreateCustomer.phone.kind) with their allowed values.
    expect(html).toContain("one of &quot;mobile&quot;, &quot;fixed&quot;, &quot;other&quot;");
  });
});
