/**
 * Domain errors: how a service says "no" without knowing about the web.
 *
 * Convention. Code under features/<domain>/ (services, queries, jobs — everything but actions.ts
 * and page bodies) throws DomainError with a sentence for the person asking, a code, and, when the
 * refusal belongs to a form field, fieldErrors. It never imports platform/auth/guard.ts.
 * Server actions need not catch it: the guard's run() (authorizedAction, publicAction,
 * secondFactorAction) turns a DomainError into { ok: false, error, code, fieldErrors }.
 * Anything else thrown is a bug and propagates. ActionError (guard.ts) is the subclass actions
 * may still throw (it also knows the web-only code "unauthenticated").
 *
 * Feature-specific errors that carry more than this (InboundEmailError's HTTP status,
 * RegistrationRefusedError's field) stay their own classes and are translated in actions.ts.
 */
export type DomainErrorCode = "invalid" | "not_found" | "conflict" | "forbidden" | "rate_limited";

export class DomainError<Code extends string = DomainErrorCode> extends Error {
  constructor(
    message: string,
    readonly code: Code = "invalid" as Code,
    readonly fieldErrors?: Record<string, string[]>,
    /** ISO time when the refused request may be made again (a resend cooldown, a send cap): the page counts down to it. */
    readonly availableAt?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
