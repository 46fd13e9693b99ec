import type { ComponentProps } from "react";
import { TextField } from "@/components/ui/field";
import { CODE_DIGITS } from "@/lib/identity/limits";

/** The one-time code input: digits keyboard on phones, autofill from SMS/email apps, no spellcheck. */
export function CodeField(props: Omit<ComponentProps<typeof TextField>, "label"> & { label?: string }) {
  return (
    <TextField
      label={props.label ?? `${CODE_DIGITS}-digit code`}
      inputMode="numeric"
      autoComplete="one-time-code"
      spellCheck={false}
      maxLength={64}
      className="max-w-56"
      {...props}
    />
  );
}
