import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import type { ActionResult } from "@/platform/auth/guard";

/**
 * Shows a failed action's answer on a react-hook-form form: a field's error on that field (and
 * focus there), anything else as the form's message. Returns the form-level message, if any.
 */
export function showActionError<T extends FieldValues>(
  result: Extract<ActionResult<unknown>, { ok: false }>,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): string | null {
  let focused = false;
  for (const field of fields) {
    const message = result.fieldErrors?.[field]?.[0];
    if (!message) continue;
    setError(field, { type: "server", message }, { shouldFocus: !focused });
    focused = true;
  }
  return focused ? null : result.error;
}
