import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { openApiDocument } from "@/features/api/openapi";
import { type ApiReference, apiReference, type FieldView, type OpenApiDocumentLike, type OperationView, type SchemaView } from "@/features/api/reference";
import { requirePageActor } from "@/platform/auth/guard";
import { Badge, type BadgeTone } from "@/ui/badge";
import { PageHeader } from "@/ui/page-header";

export const metadata: Metadata = { title: "API reference" };

/**
 * The REST API's reference, rendered on the server from the same OpenAPI document /api/v1/openapi.json
 * serves (no script, no CDN: it works offline and under the strict CSP). Operations are grouped by
 * tag; each opens (a native <details>) to its scope, parameters, request body and answers.
 */
export default async function ApiReferencePage() {
  await requirePageActor("admin");
  const reference: ApiReference = apiReference(openApiDocument() as unknown as OpenApiDocumentLike);
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            {reference.title} {reference.version}: {reference.operationCount} operations under <code className="break-all">/api/v1</code>, read from{" "}
            <Link href="/api/v1/openapi.json" className="font-semibold text-brand-700 underline">
              the OpenAPI document
            </Link>{" "}
            the API validates with. Tokens are issued under{" "}
            <Link href="/admin/api" className="font-semibold text-brand-700 underline">
              API tokens
            </Link>
            .
          </>
        }
      />
      {reference.description ? <p className="mb-6 max-w-3xl text-sm text-slate-700">{reference.description}</p> : null}
      <nav aria-labelledby="reference-contents" className="mb-8 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="reference-contents" className="text-base font-semibold text-slate-900">
          Contents
        </h2>
        <ul className="mt-2 grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
          {reference.tags.map((tag) => (
            <li key={tag.anchor}>
              <a href={`#${tag.anchor}`} className="font-semibold text-brand-700 underline">
                {tag.name}
              </a>
              <ul className="mt-1 space-y-1 text-sm">
                {tag.operations.map((operation) => (
                  <li key={operation.anchor}>
                    <a href={`#${operation.anchor}`} className="text-slate-700 underline decoration-slate-300 hover:text-brand-700">
                      {operation.summary}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>
      <div className="flex flex-col gap-10">
        {reference.tags.map((tag) => (
          <section key={tag.anchor} aria-labelledby={tag.anchor}>
            <h2 id={tag.anchor} className="mb-3 scroll-mt-4 text-xl font-semibold text-slate-900">
              {tag.name}
            </h2>
            <div className="flex flex-col gap-3">
              {tag.operations.map((operation) => (
                <OperationEntry key={operation.anchor} operation={operation} />
              ))}
            </div>
          </section>
        ))}
      </div>
    </>
  );
}

const METHOD_TONE: Record<string, BadgeTone> = { GET: "info", POST: "good", PATCH: "warn", PUT: "warn", DELETE: "bad" };

function OperationEntry({ operation }: { operation: OperationView }) {
  const success = operation.responses.filter((response) => response.status.startsWith("2"));
  const errors = operation.responses.filter((response) => !response.status.startsWith("2"));
  return (
    <details id={operation.anchor} className="scroll-mt-4 rounded-xl border border-slate-200 bg-white shadow-sm open:pb-4">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 p-4 focus-visible:outline-2 focus-visible:outline-brand-600">
        <Badge tone={METHOD_TONE[operation.method] ?? "neutral"}>{operation.method}</Badge>
        <code className="break-all font-mono text-sm text-slate-900">{operation.path}</code>
        <span className="text-sm text-slate-700">{operation.summary}</span>
      </summary>
      <div className="space-y-5 px-4 text-sm text-slate-700">
        {operation.description ? <p className="max-w-3xl">{operation.description}</p> : null}
        <p>
          Scope: {operation.scope ? <code className="font-mono">{operation.scope}</code> : "none"} · operation id{" "}
          <code className="break-all font-mono">{operation.id}</code>
        </p>
        {operation.parameters.length > 0 ? (
          <div>
            <h3 className="font-semibold text-slate-900">Parameters</h3>
            <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200">
              {operation.parameters.map((parameter) => (
                <li key={`${parameter.in}:${parameter.name}`} className="p-3">
                  <FieldLine
                    name={parameter.name}
                    type={parameter.type}
                    required={parameter.required}
                    detail={[`in ${parameter.in}`, ...parameter.constraints]}
                    description={parameter.description}
                  />
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {operation.requestBody ? (
          <div>
            <h3 className="font-semibold text-slate-900">
              Request body <span className="font-normal text-slate-600">({operation.requestBody.contentType})</span>
            </h3>
            <SchemaBlock schema={operation.requestBody} />
          </div>
        ) : null}
        <div>
          <h3 className="font-semibold text-slate-900">Answers</h3>
          {success.map((response) => (
            <div key={response.status} className="mt-2">
              <p>
                <strong className="text-slate-900">{response.status}</strong> {response.description}
                {response.headers.length > 0 ? <> Headers: {response.headers.map((header) => header.name).join(", ")}.</> : null}
              </p>
              {response.schema ? <SchemaBlock schema={response.schema} /> : null}
            </div>
          ))}
          <ul className="mt-3 space-y-1">
            {errors.map((response) => (
              <li key={response.status}>
                <strong className="text-slate-900">{response.status}</strong> {response.description}
                {response.schema?.name ? <span className="text-slate-500"> ({response.schema.name})</span> : null}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </details>
  );
}

function SchemaBlock({ schema }: { schema: SchemaView }) {
  return (
    <div className="mt-2 rounded-lg border border-slate-200 bg-slate-50 p-3">
      <p className="text-slate-600">
        {schema.name ? <code className="font-mono font-semibold text-slate-900">{schema.name}</code> : <code className="font-mono">{schema.type}</code>}
        {schema.description ? ` — ${schema.description}` : null}
      </p>
      {schema.fields.length > 0 ? <Fields fields={schema.fields} /> : null}
    </div>
  );
}

function Fields({ fields }: { fields: FieldView[] }) {
  return (
    <ul className="mt-2 space-y-2 border-l-2 border-slate-200 pl-3">
      {fields.map((field) => (
        <li key={field.name}>
          <FieldLine name={field.name} type={field.type} required={field.required} detail={field.constraints} description={field.description} />
          {field.fields.length > 0 ? <Fields fields={field.fields} /> : null}
        </li>
      ))}
    </ul>
  );
}

function FieldLine({
  name,
  type,
  required,
  detail,
  description,
}: {
  name: string;
  type: string;
  required: boolean;
  detail: string[];
  description: string | null;
}) {
  return (
    <div className="min-w-0">
      <p className="flex flex-wrap items-baseline gap-x-2">
        <code className="break-all font-mono font-semibold text-slate-900">{name}</code>
        <span className="break-words text-slate-600">{type}</span>
        {required ? <span className="text-xs font-semibold uppercase tracking-wide text-red-700">required</span> : null}
        {detail.length > 0 ? <span className="text-xs text-slate-500">{detail.join(" · ")}</span> : null}
      </p>
      {description ? <p className="mt-0.5 text-slate-700">{description}</p> : null}
    </div>
  );
}
