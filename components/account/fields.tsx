import { type ComponentProps, type ReactNode, useId } from "react";
import { TextField } from "@/components/ui/field";

/** The one-time code input: digits keyboard on phones, autofill from SMS and email apps, no spellcheck. */
export function CodeField({ label = "6-digit code", ...props }: Omit<ComponentProps<typeof TextField>, "label"> & { label?: string }) {
  return <TextField label={label} inputMode="numeric" autoComplete="one-time-code" spellCheck={false} maxLength={16} className="max-w-xs" {...props} />;
}

/** A labelled <select> wired like TextField: visible label, hint and announced error linked by aria-describedby. */
export function SelectField({ label, hint, error, id, className = "", children, ...select }: ComponentProps<"select"> & { label: string; hint?: string; error?: string }) {
  const generated = useId();
  const selectId = id ?? generated;
  const describedBy = [hint ? `${selectId}-hint` : null, error ? `${selectId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={selectId} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint ? (
        <p id={`${selectId}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <select
        id={selectId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ${error ? "border-red-600" : "border-slate-300"}`}
        {...select}
      >
        {children}
      </select>
      {error ? (
        <p id={`${selectId}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A titled card for one part of an account page. */
export function Panel({ id, title, description, children }: { id: string; title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {description ? <div className="mt-1 text-sm text-slate-600">{description}</div> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}
