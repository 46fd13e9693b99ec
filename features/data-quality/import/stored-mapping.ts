import { IMPORT_FIELDS, type ImportField } from "./fields";

/**
 * CustomerImport.mapping as stored: { columns: { "<header>": "<field>" }, defaultCountry: "GB" }
 * (the country national-format phone numbers are read in).
 */
export type StoredMapping = { columns: Record<string, ImportField>; defaultCountry: string };

export function readStoredMapping(value: unknown): StoredMapping {
  const object = (value && typeof value === "object" ? value : {}) as { columns?: unknown; defaultCountry?: unknown };
  const columns: Record<string, ImportField> = {};
  if (object.columns && typeof object.columns === "object") {
    for (const [header, field] of Object.entries(object.columns as Record<string, unknown>)) {
      if ((IMPORT_FIELDS as readonly unknown[]).includes(field)) columns[header] = field as ImportField;
    }
  }
  return { columns, defaultCountry: typeof object.defaultCountry === "string" ? object.defaultCountry : "GB" };
}
