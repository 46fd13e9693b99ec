import "server-only";
import Link from "next/link";
import { buttonClasses } from "@/ui/button";
import type { AuditFilterErrors, AuditFilterInput } from "@/features/audit/queries";

/** Suggestions for the action field: common prefixes and the events supervisors ask about most. */
const ACTION_SUGGESTIONS = [
  "identity.",
  "auth.",
  "escalation.",
  "sla.",
  "agreement.",
  "user.",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.access_denied",
  "identity.caller_check",
  "identity.override",
  "identity.code_sent",
  "identity.code_verified",
  "identity.code_failed",
  "identity.code_verification_locked",
  "identity.code_verification_unlocked",
  "identity.change_disputed",
  "identity.account_unfrozen",
  "user.role_changed",
  "agreement.created",
  "agreement.extended",
  "agreement.cancelled",
  "escalation.raised",
  "escalation.taken_over",
  "sla.escalated",
  "sla.policy_changed",
  "audit.exported",
];

function Field({
  name,
  label,
  hint,
  value,
  error,
  type = "text",
  list,
  autoComplete,
  wide = false,
}: {
  name: keyof AuditFilterInput;
  label: string;
  hint?: string;
  value?: string;
  error?: string;
  type?: string;
  list?: string;
  autoComplete?: string;
  wide?: boolean;
}) {
  const id = `audit-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`flex min-w-0 flex-col gap-1 ${wide ? "col-span-2 sm:col-span-1" : ""}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        list={list}
        defaultValue={value ?? ""}
        autoComplete={autoComplete ?? "off"}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ${error ? "border-red-600" : "border-slate-300"}`}
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The audit log's filters as a GET form: the URL is the view, so it can be shared and bookmarked. */
export function AuditFilters({ input, errors = {} }: { input: AuditFilterInput; errors?: AuditFilterErrors }) {
  return (
    <form
      method="get"
      action="/supervisor/audit"
      role="search"
      aria-label="Filter the audit log"
      className="mb-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="grid grid-cols-2 items-start gap-3 lg:grid-cols-4">
        <Field
          name="action"
          label="Action"
          hint="Exact, or a prefix ending in a dot: identity."
          value={input.action}
          error={errors.action}
          list="audit-action-suggestions"
          wide
        />
        <Field name="actor" label="Actor" hint="Email address or account id" value={input.actor} error={errors.actor} wide />
        <Field name="subjectType" label="Subject type" hint="User, Customer, Ticket…" value={input.subjectType} error={errors.subjectType} />
        <Field name="subjectId" label="Subject id" hint="As in the Subject column" value={input.subjectId} error={errors.subjectId} />
        <Field name="from" label="From (UTC day)" hint="On or after this day" type="date" value={input.from} error={errors.from} />
        <Field name="to" label="To (UTC day)" hint="This day included" type="date" value={input.to} error={errors.to} />
        <Field name="ip" label="IP address" hint="Exact address" value={input.ip} error={errors.ip} wide />
      </div>
      <datalist id="audit-action-suggestions">
        {ACTION_SUGGESTIONS.map((action) => (
          <option key={action} value={action} />
        ))}
      </datalist>
      <div className="mt-4 flex flex-wrap gap-2">
        <button type="submit" className={buttonClasses("primary")}>
          Apply filters
        </button>
        <Link href="/supervisor/audit" className={buttonClasses("secondary")}>
          Clear filters
        </Link>
      </div>
    </form>
  );
}
