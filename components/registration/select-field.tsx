import { type ComponentProps, useId } from "react";

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
