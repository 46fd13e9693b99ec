import { type ComponentProps, useId } from "react";
import { CODE_DIGITS } from "@/lib/identity/limits";

/**
 * A labelled input with its hint and error wired for assistive technology: the label is always
 * visible, the error is announced (role="alert") and linked with aria-describedby.
 */
export function TextField({
  label,
  hint,
  error,
  id,
  className = "",
  ...input
}: ComponentProps<"input"> & { label: string; hint?: string; error?: string }) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={inputId} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`rounded-md border px-3 py-2 text-sm shadow-sm ${error ? "border-red-600" : "border-slate-300"} bg-white text-slate-900`}
        {...input}
      />
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled <select> wired like TextField: visible label, hint and announced error linked by aria-describedby. */
export function SelectField({
  label,
  hint,
  error,
  id,
  className = "",
  children,
  ...select
}: ComponentProps<"select"> & { label: string; hint?: string; error?: string }) {
  const generated = useId();
  const selectId = id ?? generated;
  const hintId = `${selectId}-hint`;
  const errorId = `${selectId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={selectId} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
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
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The one-time code input: digits keyboard on phones, autofill from SMS/email apps, no spellcheck. */
export function CodeField({ label = `${CODE_DIGITS}-digit code`, ...props }: Omit<ComponentProps<typeof TextField>, "label"> & { label?: string }) {
  // Generous maxLength: people paste codes with spaces or dashes; the server normalises them.
  return <TextField label={label} inputMode="numeric" autoComplete="one-time-code" spellCheck={false} maxLength={64} className="max-w-56" {...props} />;
}
