/**
 * The one authorization layer. Every page, server action and route handler goes through one of:
 *   requirePageActor(area)            — server components (pages, layouts)
 *   authorizedAction(area, schema, fn) / publicAction(schema, fn) — server actions
 *   authorizedRoute(area, fn) / publicRoute(fn)                    — route handlers
 *   apiRoute(scope, fn)                                            — the public REST API (/api/v1), bearer tokens
 *   requirePendingSecondFactor() / secondFactorAction(schema, fn)  — the sign-in's second step
 * platform/auth/coverage.test.ts fails the build of the test suite when an app/ file skips it.
 */
import { getServerSession } from "next-auth";
import { forbidden, notFound, redirect } from "next/navigation";
import { headers } from "next/headers";
import { connection } from "next/server";
import { cache } from "react";
import { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { DomainError, type DomainErrorCode } from "@/platform/errors";
import { authOptions } from "@/platform/auth/next-auth-options";
import { type Area, mayEnter, mustSetUpTwoFactor, safeReturnPath } from "@/platform/auth/policy";
import { type Actor, type PendingSecondFactor, actorForSession, pendingSecondFactorSession } from "@/platform/auth/sessions";
import { clientIpFrom } from "@/platform/request";
import { UNSTORABLE_MESSAGE, unstorableTextPaths } from "@/platform/text/schemas";
import { type ApiClient, type ApiScope, authenticateApiToken } from "@/platform/auth/api-tokens";
import { API_REQUESTS_PER_MINUTE } from "@/platform/auth/api-scopes";
import { type FieldProblem, type ProblemKind, problem } from "@/platform/http/problem";
import { consumeRateLimit } from "@/platform/rate-limit";
import { withIdempotencyKey } from "@/platform/http/idempotency";
import { isRetryableDatabaseError } from "@/platform/db/errors";

export { isRetryableDatabaseError } from "@/platform/db/errors";

export type { Actor, PendingSecondFactor } from "@/platform/auth/sessions";

/** The session id in this request's cookie, whatever state the session is in. */
const requestSessionId = cache(async (): Promise<string | null> => {
  await connection();
  const session = await getServerSession(authOptions());
  return session?.sessionId ?? null;
});

/** The signed-in person of the current request, or null. Cached for one request. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  // Who is asking is per request: never prerender a page that asks.
  const sessionId = await requestSessionId();
  return sessionId ? actorForSession(sessionId) : null;
});

/** The time zone the current request's person reads times in (null: not signed in, or not set yet). */
export const viewerTimeZone = cache(async (): Promise<string | null> => (await currentActor())?.timeZone ?? null);

/** The pending second-factor session of the current request (password passed, second factor owed), or null. */
export const currentPendingSecondFactor = cache(async (): Promise<PendingSecondFactor | null> => {
  const sessionId = await requestSessionId();
  return sessionId ? pendingSecondFactorSession(sessionId) : null;
});

/** Where a staff member without two-factor sign-in goes when the deployment requires it. */
export const TWO_FACTOR_SETUP_PATH = "/account/security?required=1";

async function staffTwoFactorRequired(): Promise<boolean> {
  const { serverEnv } = await import("@/platform/env");
  return serverEnv().REQUIRE_STAFF_TWO_FACTOR;
}

const TWO_FACTOR_REQUIRED_MESSAGE = "Turn on two-factor sign-in first (Account → Security): this site requires it for staff.";

/** Header set by proxy.ts so server components know the path to return to after sign-in. */
export const REQUEST_PATH_HEADER = "x-veridesk-path";

/** The client address of the current request (platform/request.ts: the socket peer, or behind trusted proxies X-Forwarded-For). */
export async function requestIp(): Promise<string> {
  const all = await headers();
  return clientIpFrom((name) => all.get(name));
}

async function auditDenied(actor: Actor, area: Area, via: string) {
  await recordAudit({
    action: "auth.access_denied",
    actor: { userId: actor.userId, role: actor.role },
    ip: await requestIp(),
    details: { area, via },
  });
}

/** For pages and layouts: anonymous → sign-in (and back afterwards); wrong role → 403 page. */
export async function requirePageActor(area: Area): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) {
    const returnTo = safeReturnPath((await headers()).get(REQUEST_PATH_HEADER)) ?? "/";
    // Password passed but the second factor is still owed: finish that first, then come back.
    const step = (await currentPendingSecondFactor()) ? "/signin/second-factor" : "/signin";
    redirect(`${step}?callbackUrl=${encodeURIComponent(returnTo)}`);
  }
  if (!mayEnter(actor.role, area)) {
    await auditDenied(actor, area, (await headers()).get(REQUEST_PATH_HEADER) ?? "page");
    forbidden();
  }
  if (mustSetUpTwoFactor(actor, area, await staffTwoFactorRequired())) redirect(TWO_FACTOR_SETUP_PATH);
  return actor;
}

/**
 * For /signin/second-factor only: the pending session of this request. A complete session goes
 * on to where it was heading; no session (or an expired pending one) goes back to sign-in.
 */
export async function requirePendingSecondFactor(callbackUrl: string): Promise<PendingSecondFactor> {
  const pending = await currentPendingSecondFactor();
  if (pending) return pending;
  const onward = encodeURIComponent(safeReturnPath(callbackUrl) ?? "/");
  redirect((await currentActor()) ? `/after-sign-in?callbackUrl=${onward}` : `/signin?callbackUrl=${onward}`);
}

type ActionErrorCode = "unauthenticated" | DomainErrorCode;

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: string;
      /** retryable: the database timed out or a concurrent change won; sending the same input again is safe. */
      code: ActionErrorCode | "retryable";
      fieldErrors?: Record<string, string[]>;
      /** ISO time when the refused request may be made again (a resend cooldown): the form counts down to it. */
      availableAt?: string;
    };

/**
 * Thrown inside a handler to answer with a clear, specific error (nothing else is revealed).
 * A DomainError (platform/errors.ts, what services throw) that may also use the web layer's own
 * code "unauthenticated"; kept for actions.
 */
export class ActionError extends DomainError<ActionErrorCode> {
  constructor(message: string, code: ActionErrorCode = "invalid", fieldErrors?: Record<string, string[]>, availableAt?: string) {
    super(message, code, fieldErrors, availableAt);
    this.name = "ActionError";
  }
}

function invalid(error: z.ZodError): ActionResult<never> {
  const { fieldErrors } = z.flattenError(error);
  return { ok: false, code: "invalid", error: "Some fields need attention.", fieldErrors: fieldErrors as Record<string, string[]> };
}

/**
 * Every action's input, before its schema: text PostgreSQL cannot store (a NUL, or a lone
 * surrogate that is not valid Unicode) is refused here, whatever the schema says, naming the
 * fields it was found in. The schemas refuse it too (platform/text/schemas.ts cleanText): this
 * is the net under them.
 */
function parseInput<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.output<S> } | { ok: false; result: ActionResult<never> } {
  const unstorable = unstorableTextPaths(input);
  if (unstorable.length > 0) {
    const fieldErrors: Record<string, string[]> = {};
    for (const path of unstorable) fieldErrors[String(path[0] ?? "input")] = [UNSTORABLE_MESSAGE];
    return { ok: false, result: { ok: false, code: "invalid", error: "Some fields contain characters that cannot be stored.", fieldErrors } };
  }
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, result: invalid(parsed.error) };
}

export const RETRYABLE_MESSAGE = "The database is busy right now and nothing was saved. Try again in a moment.";

async function run<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (error instanceof DomainError)
      return {
        ok: false,
        error: error.message,
        code: error.code,
        fieldErrors: error.fieldErrors,
        ...(error.availableAt ? { availableAt: error.availableAt } : {}),
      };
    if (isRetryableDatabaseError(error)) {
      console.warn(`[action] retryable database error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      return { ok: false, code: "retryable", error: RETRYABLE_MESSAGE };
    }
    throw error;
  }
}

/** A server action for signed-in people allowed in `area`; input is parsed with `schema` first. */
export function authorizedAction<S extends z.ZodType, T>(area: Area, schema: S, handler: (input: z.output<S>, actor: Actor) => Promise<T>) {
  return async (input: z.input<S>): Promise<ActionResult<T>> => {
    const actor = await currentActor();
    if (!actor) return { ok: false, code: "unauthenticated", error: "Your session has ended. Sign in again." };
    if (!mayEnter(actor.role, area)) {
      await auditDenied(actor, area, "action");
      return { ok: false, code: "forbidden", error: "Your account is not allowed to do this." };
    }
    if (mustSetUpTwoFactor(actor, area, await staffTwoFactorRequired())) return { ok: false, code: "forbidden", error: TWO_FACTOR_REQUIRED_MESSAGE };
    const parsed = parseInput(schema, input);
    if (!parsed.ok) return parsed.result;
    return run(() => handler(parsed.data, actor));
  };
}

/**
 * A server action of the sign-in's second step: only for a request whose session passed the
 * password and still owes its second factor (see requirePendingSecondFactor).
 */
export function secondFactorAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, pending: PendingSecondFactor & { ip: string }) => Promise<T>,
) {
  return async (input: z.input<S>): Promise<ActionResult<T>> => {
    const pending = await currentPendingSecondFactor();
    if (!pending) return { ok: false, code: "unauthenticated", error: "This sign-in has timed out. Sign in again with your password." };
    const parsed = parseInput(schema, input);
    if (!parsed.ok) return parsed.result;
    const ip = await requestIp();
    return run(() => handler(parsed.data, { ...pending, ip }));
  };
}

/** A server action anyone may call (registration, password reset); its input is still parsed. */
export function publicAction<S extends z.ZodType, T>(schema: S, handler: (input: z.output<S>, context: { ip: string }) => Promise<T>) {
  return async (input: z.input<S>): Promise<ActionResult<T>> => {
    const parsed = parseInput(schema, input);
    if (!parsed.ok) return parsed.result;
    const ip = await requestIp();
    return run(() => handler(parsed.data, { ip }));
  };
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** A route handler for signed-in people allowed in `area`: 401 / 403 JSON otherwise. */
export function authorizedRoute(area: Area, handler: (request: Request, actor: Actor, context: RouteContext) => Promise<Response>) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const actor = await currentActor();
    if (!actor) return Response.json({ error: "Sign in first." }, { status: 401 });
    if (!mayEnter(actor.role, area)) {
      await auditDenied(actor, area, new URL(request.url).pathname);
      return Response.json({ error: "Your account is not allowed to do this." }, { status: 403 });
    }
    if (mustSetUpTwoFactor(actor, area, await staffTwoFactorRequired())) return Response.json({ error: TWO_FACTOR_REQUIRED_MESSAGE }, { status: 403 });
    return handler(request, actor, context);
  };
}

/** A route handler open to anyone (health checks, signed webhooks): marks that choice explicitly. */
export function publicRoute(handler: (request: Request, context: RouteContext) => Promise<Response>) {
  return handler;
}

// Requests per minute one API token may make; counted in PostgreSQL, so across every instance.
export { API_REQUESTS_PER_MINUTE } from "@/platform/auth/api-scopes";

const PROBLEM_OF_DOMAIN_ERROR: Record<DomainErrorCode, ProblemKind> = {
  invalid: "invalid",
  not_found: "not_found",
  conflict: "conflict",
  forbidden: "forbidden",
  rate_limited: "rate_limited",
};

export type { ApiClient, ApiScope } from "@/platform/auth/api-tokens";

/**
 * A route handler of the public REST API: a Bearer token with `scope` (401 / 403 as
 * `application/problem+json` otherwise), a per-token rate limit with `RateLimit-*` headers (429 and
 * `Retry-After` past it), domain errors mapped to problems, and every call audited against the
 * token (ids, method, path and status only).
 */
export function apiRoute(scope: ApiScope, handler: (request: Request, client: ApiClient, context: RouteContext) => Promise<Response>) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const ip = await requestIp();
    const path = new URL(request.url).pathname;
    const authentication = await authenticateApiToken(request.headers.get("authorization"), ip);
    if (!authentication.ok) {
      return problem("unauthenticated", authentication.detail, { headers: { "www-authenticate": 'Bearer realm="veridesk-api"' } });
    }
    const { client } = authentication;
    const audit = (status: number) =>
      recordAudit({ action: "api.request", subjectType: "api_token", subjectId: client.tokenId, ip, details: { method: request.method, path, status } });
    if (!client.scopes.includes(scope)) {
      await audit(403);
      return problem("forbidden", `This token does not have the ${scope} scope.`);
    }
    const limit = await consumeRateLimit(`api:token:${client.tokenId}`, API_REQUESTS_PER_MINUTE, 60);
    const rateHeaders = {
      "ratelimit-limit": String(API_REQUESTS_PER_MINUTE),
      "ratelimit-remaining": String(Math.max(0, API_REQUESTS_PER_MINUTE - limit.count)),
      "ratelimit-reset": String(limit.retryAfterSeconds),
    };
    if (!limit.allowed) {
      await audit(429);
      return problem("rate_limited", `This token made more than ${API_REQUESTS_PER_MINUTE} requests in a minute.`, {
        headers: { ...rateHeaders, "retry-after": String(Math.max(1, limit.retryAfterSeconds)) },
      });
    }
    const respond = async (request: Request): Promise<Response> => {
      try {
        return await handler(request, client, context);
      } catch (error) {
        if (error instanceof DomainError) {
          const errors: FieldProblem[] = Object.entries(error.fieldErrors ?? {}).flatMap(([field, messages]) =>
            messages.map((message) => ({ field, message })),
          );
          return problem(PROBLEM_OF_DOMAIN_ERROR[error.code as DomainErrorCode] ?? "invalid", error.message, { errors });
        }
        if (isRetryableDatabaseError(error)) return problem("unavailable", RETRYABLE_MESSAGE, { headers: { "retry-after": "1" } });
        // A bug: the client still gets a problem document (not Next's HTML page), and the call is audited.
        console.error(`[api] ${request.method} ${path} failed:`, error);
        return problem("internal", "Something went wrong on our side; nothing more is known to the API. Try again, and tell the administrator if it persists.");
      }
    };
    let response: Response;
    try {
      // Every POST runs at most once per Idempotency-Key (platform/http/idempotency.ts); retries get its first answer.
      response = request.method === "POST" ? await withIdempotencyKey(request, client.tokenId, respond) : await respond(request);
    } catch (error) {
      if (isRetryableDatabaseError(error)) response = problem("unavailable", RETRYABLE_MESSAGE, { headers: { "retry-after": "1" } });
      else {
        console.error(`[api] ${request.method} ${path} failed around its Idempotency-Key:`, error);
        response = problem(
          "internal",
          "Something went wrong on our side; nothing more is known to the API. Try again, and tell the administrator if it persists.",
        );
      }
    }
    for (const [name, value] of Object.entries(rateHeaders)) response.headers.set(name, value);
    await audit(response.status);
    return response;
  };
}

/** Demo/development-only pages (the development mailbox): 404 unless the app runs in demo mode. */
export async function requireDemoMode(): Promise<void> {
  const { isDemoMode } = await import("@/platform/env");
  if (!isDemoMode()) notFound();
}
