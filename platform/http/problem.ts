/**
 * RFC 9457 problem details (`application/problem+json`), the error body of every /api/v1 answer.
 * `type` is a stable URI per kind of problem (documented in the OpenAPI document), `title` its
 * summary, `detail` what happened this time; `errors` lists field errors of a 422.
 */
export type ProblemKind =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "invalid"
  | "conflict"
  | "precondition_failed"
  | "precondition_required"
  | "rate_limited"
  | "payload_too_large"
  | "unavailable"
  | "internal";

const KINDS: Record<ProblemKind, { status: number; title: string }> = {
  unauthenticated: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Not allowed" },
  not_found: { status: 404, title: "Not found" },
  invalid: { status: 422, title: "Invalid request" },
  conflict: { status: 409, title: "Conflict" },
  precondition_failed: { status: 412, title: "Precondition failed" },
  precondition_required: { status: 428, title: "Precondition required" },
  rate_limited: { status: 429, title: "Too many requests" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unavailable: { status: 503, title: "Try again shortly" },
  internal: { status: 500, title: "Internal error" },
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
export const PROBLEM_TYPE_BASE = "https://veridesk.dev/problems/";

export type FieldProblem = { field: string; message: string };

export type ProblemBody = { type: string; title: string; status: number; detail: string; errors?: FieldProblem[] };

export function problemBody(kind: ProblemKind, detail: string, errors?: FieldProblem[]): ProblemBody {
  const { status, title } = KINDS[kind];
  return { type: `${PROBLEM_TYPE_BASE}${kind.replace(/_/g, "-")}`, title, status, detail, ...(errors?.length ? { errors } : {}) };
}

export function problem(kind: ProblemKind, detail: string, options: { errors?: FieldProblem[]; headers?: HeadersInit } = {}): Response {
  const body = problemBody(kind, detail, options.errors);
  const headers = new Headers(options.headers);
  headers.set("content-type", PROBLEM_CONTENT_TYPE);
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

export function statusOfProblem(kind: ProblemKind): number {
  return KINDS[kind].status;
}
