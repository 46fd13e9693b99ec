import { type ComponentProps, type ReactNode, useId } from "react";
import { CODE_DIGITS } from "@/platform/one-time-code";

type FieldProps = { label: string; hint?: string; error?: string };

/**
 * The frame every form control shares, wired for assistive technology: the label is always
 * visible, the hint and the error are linked with aria-describedby, and the error is announced
 * (role="alert"). `control` receives the attributes to spread on the <input>/<select>.
 */
function FieldFrame({
  label,
  hint,
  error,
  id,
  className,
  control,
}: FieldProps & { id?: string; className: string; control: (wiring: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={controlId} className="field-label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {control({ id: controlId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const controlBorder = (error?: string) => (error ? "border-red-600" : "border-slate-300");

/** A labelled text input (see FieldFrame for the accessibility wiring). */
export function TextField({ label, hint, error, id, className = "", ...input }: ComponentProps<"input"> & FieldProps) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      id={id}
      className={className}
      control={(wiring) => (
        <input {...wiring} className={`rounded-md border px-3 py-2 text-sm shadow-sm ${controlBorder(error)} bg-white text-slate-900`} {...input} />
      )}
    />
  );
}

/** A labelled <select>, wired like TextField. */
export function SelectField({ label, hint, error, id, className = "", children, ...select }: ComponentProps<"select"> & FieldProps) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      id={id}
      className={className}
      control={(wiring) => (
        <select {...wiring} className={`rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ${controlBorder(error)}`} {...select}>
          {children}
        </select>
      )}
    />
  );
}

/** A labelled <textarea>, wired like TextField. */
export function TextAreaField({ label, hint, error, id, className = "", ...textarea }: ComponentProps<"textarea"> & FieldProps) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      id={id}
      className={className}
      control={(wiring) => (
        <textarea {...wiring} className={`rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ${controlBorder(error)}`} {...textarea} />
      )}
    />
  );
}

/** The one-time code input: digits keyboard on phones, autofill from SMS/email apps, no spellcheck. */
export function CodeField({ label = `${CODE_DIGITS}-digit code`, ...props }: Omit<ComponentProps<typeof TextField>, "label"> & { label?: string }) {
  // Generous maxLength: people paste codes with spaces or dashes; the server normalises them.
  return <TextField label={label} inputMode="numeric" autoComplete="one-time-code" spellCheck={false} maxLength={64} className="max-w-56" {...props} />;
}
