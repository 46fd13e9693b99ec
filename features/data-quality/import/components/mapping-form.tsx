"use client";

import { useRouter } from "next/navigation";
import { Alert } from "@/ui/alert";
import { SelectField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { startDryRunAction } from "../actions";
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, type ImportField } from "../fields";
import { type ImportMappingInput, importMappingSchema } from "../schemas";

export type MappingColumn = { header: string; field: ImportField; samples: string[] };

/**
 * One select per column of the file (what it holds), with the first values under it so the
 * supervisor recognises the column, and the country national-format numbers are read in.
 * Submitting saves the mapping (remembered for the next file) and starts the dry run.
 */
export function ImportMappingForm({
  importId,
  columns,
  defaultCountry,
  countries,
  remembered,
}: {
  importId: string;
  columns: MappingColumn[];
  defaultCountry: string;
  countries: { code: string; name: string }[];
  remembered: string | null;
}) {
  const router = useRouter();
  const form = useActionForm(importMappingSchema, startDryRunAction, {
    defaultValues: { importId, columns: columns.map(({ header, field }) => ({ header, field })), defaultCountry } as ImportMappingInput,
    fields: ["defaultCountry"],
    onSuccess: () => {
      router.refresh();
    },
  });
  const columnsError =
    (form.errors.columns as { message?: string } | undefined)?.message ?? (form.errors.columns?.root as { message?: string } | undefined)?.message;

  return (
    <form onSubmit={form.submit} noValidate className="space-y-4">
      {remembered ? <Alert tone="info">{remembered}</Alert> : null}
      <input type="hidden" {...form.register("importId")} />
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">What each column holds</legend>
        <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
          {columns.map((column, index) => (
            <li key={column.header} className="min-w-0 rounded-md border border-slate-200 bg-white p-3">
              <input type="hidden" {...form.register(`columns.${index}.header`)} />
              <SelectField
                label={column.header}
                hint={column.samples.length > 0 ? `e.g. ${column.samples.join(" · ")}` : "empty in the first rows"}
                error={form.errors.columns?.[index]?.field?.message}
                {...form.register(`columns.${index}.field`)}
              >
                {IMPORT_FIELDS.map((field) => (
                  <option key={field} value={field}>
                    {IMPORT_FIELD_LABELS[field]}
                  </option>
                ))}
              </SelectField>
            </li>
          ))}
        </ul>
        {columnsError ? (
          <p role="alert" className="text-sm text-red-700">
            {columnsError}
          </p>
        ) : null}
      </fieldset>
      <SelectField
        label="Country of phone numbers written without +"
        hint="Numbers like 07911 123456 are read as numbers of this country; numbers starting with + or 00 keep their own."
        error={form.errors.defaultCountry?.message}
        className="max-w-sm"
        {...form.register("defaultCountry")}
      >
        {countries.map((country) => (
          <option key={country.code} value={country.code}>
            {country.name}
          </option>
        ))}
      </SelectField>
      {form.formError ? (
        <p role="alert" className="text-sm text-red-700">
          {form.formError}
        </p>
      ) : null}
      <SubmitButton pending={form.pending} busy="Starting the check…">
        Check the file (dry run)
      </SubmitButton>
      <p className="text-xs text-slate-600">The dry run writes nothing: it shows what each row would do.</p>
    </form>
  );
}
