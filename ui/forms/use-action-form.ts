"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { type DefaultValues, type FieldValues, type Path, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/platform/auth/guard";
import { showActionError } from "@/ui/forms/action-errors";

export type Refusal = Extract<ActionResult<unknown>, { ok: false }>;

type Options<TValues extends FieldValues, TOutput, TData> = {
  defaultValues?: DefaultValues<TValues>;
  /** The fields a refusal may name, in form order: each message goes on its field (the first is focused). */
  fields?: readonly Path<TValues>[];
  /** After `ok: true`. A returned string becomes the form's success message (`notice`). */
  onSuccess?: (data: TData, values: TOutput) => string | undefined | void;
  /** Sees a refusal first; return true when it is handled and nothing else should show. */
  onRefusal?: (refusal: Refusal, values: TOutput) => boolean | undefined | void;
  /** Success leaves the page: the button stays busy until the next page is there. */
  leaves?: boolean;
};

/**
 * A react-hook-form form validated by `schema` whose submit calls a server action: while it runs
 * `pending` is true; a refusal's field errors go on their fields (`fields`), anything else becomes
 * `formError`; success calls `onSuccess`. An action that redirects (no answer) keeps `pending` on.
 */
export function useActionForm<TValues extends FieldValues, TOutput extends FieldValues, TData>(
  schema: z.ZodType<TOutput, TValues>,
  action: (values: TOutput) => Promise<ActionResult<TData> | undefined | void>,
  { defaultValues, fields = [], onSuccess, onRefusal, leaves = false }: Options<TValues, TOutput, TData> = {},
) {
  const form = useForm<TValues, unknown, TOutput>({ resolver: zodResolver(schema as never) as unknown as Resolver<TValues, unknown, TOutput>, defaultValues });
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    setNotice(null);
    const result = await action(values);
    if (!result || (result.ok && leaves)) setLeaving(true);
    if (!result) return;
    if (result.ok) {
      const message = onSuccess?.(result.data, values);
      if (typeof message === "string") setNotice(message);
      return;
    }
    if (onRefusal?.(result, values)) return;
    setFormError(showActionError(result, form.setError, fields));
  });

  const { errors, isSubmitting } = form.formState;
  return { ...form, submit, errors, pending: isSubmitting || leaving, formError, setFormError, notice, setNotice };
}

export type ActionForm<TValues extends FieldValues, TOutput extends FieldValues = TValues> = ReturnType<typeof useActionForm<TValues, TOutput, unknown>>;
