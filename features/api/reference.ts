/**
 * The API reference page's reading of the OpenAPI document (features/api/pages/api-reference-page.tsx):
 * operations grouped by tag in the document's order, each with its scope, parameters, request
 * body and answers, and every schema ($refs resolved) as a tree of fields. Pure: the page renders
 * what this returns, and features/api/reference.test.ts checks it against the document.
 */

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

type Parameter = { in: string; name: string; required?: boolean; description?: string; schema?: JsonSchema };
type Media = { schema?: JsonSchema };
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  "x-scope"?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media>; headers?: Record<string, { description?: string }> }>;
};
export type OpenApiDocumentLike = {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

export type FieldView = {
  name: string;
  required: boolean;
  type: string;
  description: string | null;
  /** "1–100 characters", "default 25", "at most 100": the limits a client must respect. */
  constraints: string[];
  /** The fields of an object (or of an array's objects), when there are any. */
  fields: FieldView[];
};

export type SchemaView = { name: string | null; type: string; description: string | null; fields: FieldView[] };

export type ParameterView = { name: string; in: string; required: boolean; type: string; description: string | null; constraints: string[] };

export type ResponseView = {
  status: string;
  description: string;
  contentType: string | null;
  schema: SchemaView | null;
  headers: { name: string; description: string | null }[];
};

export type OperationView = {
  id: string;
  /** The anchor of the operation on the page. */
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description: string | null;
  scope: string | null;
  parameters: ParameterView[];
  requestBody: (SchemaView & { contentType: string; required: boolean }) | null;
  responses: ResponseView[];
};

export type TagView = { name: string; anchor: string; operations: OperationView[] };

export type ApiReference = { title: string; version: string; description: string | null; tags: TagView[]; operationCount: number };

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
/** Nested objects shown inside a field; deeper ones are named by type only. */
const MAX_DEPTH = 4;

export const anchorOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export function apiReference(document: OpenApiDocumentLike): ApiReference {
  const components = document.components?.schemas ?? {};
  const resolve = (schema: JsonSchema | undefined): { name: string | null; schema: JsonSchema } => {
    let name: string | null = null;
    let current = schema ?? {};
    for (let hop = 0; current.$ref && hop < 5; hop += 1) {
      name = current.$ref.split("/").pop() ?? null;
      current = (name && components[name]) || {};
    }
    return { name, schema: current };
  };

  function typeOf(raw: JsonSchema | undefined, depth = 0): string {
    if (!raw) return "any";
    if (raw.$ref) return resolve(raw).name ?? "object";
    if (depth > 6) return "…";
    if (raw.const !== undefined) return JSON.stringify(raw.const);
    if (raw.enum) return `one of ${raw.enum.map((value) => JSON.stringify(value)).join(", ")}`;
    const variants = raw.anyOf ?? raw.oneOf;
    if (variants) {
      const types = variants.map((variant) => typeOf(variant, depth + 1));
      return [...new Set(types)].join(" or ");
    }
    if (raw.allOf) return raw.allOf.map((part) => typeOf(part, depth + 1)).join(" and ");
    const type = Array.isArray(raw.type) ? raw.type.join(" or ") : raw.type;
    if (type === "array") return `array of ${typeOf(raw.items, depth + 1)}`;
    if (type === "string" && raw.format) return `string (${raw.format})`;
    return type ?? (raw.properties ? "object" : "any");
  }

  function constraintsOf(raw: JsonSchema): string[] {
    const found: string[] = [];
    const span = (min: number | undefined, max: number | undefined, unit: string) => {
      if (min !== undefined && max !== undefined) found.push(`${min}–${max}${unit}`);
      else if (min !== undefined) found.push(`at least ${min}${unit}`);
      else if (max !== undefined) found.push(`at most ${max}${unit}`);
    };
    span(raw.minLength, raw.maxLength, " characters");
    span(raw.minimum, raw.maximum, "");
    span(raw.minItems, raw.maxItems, " items");
    if (raw.default !== undefined) found.push(`default ${JSON.stringify(raw.default)}`);
    return found;
  }

  /** The object (if any) a schema describes: itself, an array's items, or the non-null variant. */
  function objectBehind(raw: JsonSchema | undefined, seen: ReadonlySet<string>): { schema: JsonSchema; seen: ReadonlySet<string> } | null {
    if (!raw) return null;
    if (raw.$ref) {
      const { name, schema } = resolve(raw);
      if (name && seen.has(name)) return null;
      return objectBehind(schema, name ? new Set([...seen, name]) : seen);
    }
    if (raw.properties) return { schema: raw, seen };
    if (raw.items) return objectBehind(raw.items, seen);
    const variants = (raw.anyOf ?? raw.oneOf)?.filter((variant) => variant.type !== "null");
    if (variants?.length === 1) return objectBehind(variants[0], seen);
    return null;
  }

  function fieldsOf(raw: JsonSchema | undefined, depth: number, seen: ReadonlySet<string>): FieldView[] {
    const object = depth > MAX_DEPTH ? null : objectBehind(raw, seen);
    if (!object) return [];
    const required = new Set(object.schema.required ?? []);
    return Object.entries(object.schema.properties ?? {}).map(([name, property]) => {
      const resolved = resolve(property).schema;
      return {
        name,
        required: required.has(name),
        type: typeOf(property),
        description: property.description ?? resolved.description ?? null,
        constraints: constraintsOf(resolved),
        fields: fieldsOf(property, depth + 1, object.seen),
      };
    });
  }

  const schemaView = (raw: JsonSchema | undefined): SchemaView | null => {
    if (!raw) return null;
    const { name, schema } = resolve(raw);
    return { name, type: typeOf(raw), description: schema.description ?? null, fields: fieldsOf(raw, 0, new Set()) };
  };

  const firstMedia = (content: Record<string, Media> | undefined) => {
    const entry = content ? Object.entries(content)[0] : undefined;
    return entry ? { contentType: entry[0], schema: entry[1].schema } : null;
  };

  const byTag = new Map<string, OperationView[]>();
  let operationCount = 0;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      operationCount += 1;
      const id = operation.operationId ?? `${method} ${path}`;
      const body = firstMedia(operation.requestBody?.content);
      const bodySchema = body ? schemaView(body.schema) : null;
      const view: OperationView = {
        id,
        anchor: anchorOf(`op-${id}`),
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? id,
        description: operation.description ?? null,
        scope: operation["x-scope"] ?? null,
        parameters: (operation.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: parameter.required === true,
          type: typeOf(parameter.schema),
          description: parameter.description ?? parameter.schema?.description ?? null,
          constraints: parameter.schema ? constraintsOf(parameter.schema) : [],
        })),
        requestBody: body && bodySchema ? { ...bodySchema, contentType: body.contentType, required: operation.requestBody?.required === true } : null,
        responses: Object.entries(operation.responses ?? {}).map(([status, response]) => {
          const media = firstMedia(response.content);
          return {
            status,
            description: response.description ?? "",
            contentType: media?.contentType ?? null,
            schema: media ? schemaView(media.schema) : null,
            headers: Object.entries(response.headers ?? {}).map(([name, header]) => ({ name, description: header.description ?? null })),
          };
        }),
      };
      const tag = operation.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), view]);
    }
  }
  return {
    title: document.info.title,
    version: document.info.version,
    description: document.info.description ?? null,
    tags: [...byTag].map(([name, operations]) => ({ name, anchor: anchorOf(`tag-${name}`), operations })),
    operationCount,
  };
}
