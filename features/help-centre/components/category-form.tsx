"use client";

import { useRouter } from "next/navigation";
import { createCategoryAction } from "@/features/help-centre/actions";
import { categorySchema } from "@/features/help-centre/schemas";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** A new help-centre category. */
export function CategoryForm() {
  const router = useRouter();
  const form = useActionForm(categorySchema, createCategoryAction, {
    defaultValues: { name: "", slug: "", description: "" },
    fields: ["name", "slug", "description"],
    onSuccess: () => {
      form.reset();
      router.refresh();
      return "Category added.";
    },
  });
  return (
    <form onSubmit={form.submit} noValidate aria-label="New category" className="flex flex-col gap-3">
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField label="Name" error={form.errors.name?.message} {...form.register("name")} />
      <TextField label="Address (optional)" hint="Made from the name when left blank." error={form.errors.slug?.message} {...form.register("slug")} />
      <TextField label="Description (optional)" error={form.errors.description?.message} {...form.register("description")} />
      <div>
        <SubmitButton pending={form.pending} busy="Adding…" variant="secondary">
          Add category
        </SubmitButton>
      </div>
    </form>
  );
}
