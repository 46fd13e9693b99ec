/**
 * The fields a CSV column can be mapped to, their labels, and the mapping suggested from a file's
 * header names. No database access: the mapping form (a client component) imports it.
 */

export const IMPORT_FIELDS = ["accountNumber", "name", "organisation", "email", "alias", "mobile", "phone", "ignore"] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  accountNumber: "Account number",
  name: "Customer name",
  organisation: "Organisation",
  email: "Primary email",
  alias: "Other email (alias)",
  mobile: "Mobile phone",
  phone: "Other phone (fixed)",
  ignore: "Ignore this column",
};

/** Fields one column at most may hold (the aliases may come from several columns). */
export const SINGLE_COLUMN_FIELDS: readonly ImportField[] = ["accountNumber", "name", "organisation", "email", "mobile", "phone"];

/** Header names (lower-case, without spaces, dashes, dots or underscores) that suggest a field, as Excel, HubSpot, Salesforce, Zendesk or Help Scout export them. */
const SYNONYMS: Record<Exclude<ImportField, "ignore">, readonly string[]> = {
  accountNumber: [
    "accountnumber",
    "account",
    "accountno",
    "accountid",
    "customernumber",
    "customerno",
    "customerid",
    "externalid",
    "kundennummer",
    "ref",
    "reference",
  ],
  name: ["name", "fullname", "customername", "contactname", "contact", "customer", "person", "displayname", "naam"],
  organisation: ["organisation", "organization", "company", "companyname", "org", "organisationname", "organizationname", "account name", "firma", "business"],
  email: ["email", "emailaddress", "mail", "primaryemail", "workemail", "e mail", "emailadres"],
  alias: ["otheremail", "otheremails", "alias", "aliases", "secondaryemail", "additionalemail", "additionalemails", "alternateemail", "email2", "emails"],
  mobile: ["mobile", "mobilephone", "mobilenumber", "cell", "cellphone", "gsm", "handy", "mobiel"],
  phone: ["phone", "telephone", "phonenumber", "tel", "landline", "workphone", "officephone", "otherphone", "fixedphone", "homephone", "businessphone"],
};

function headerKey(header: string): string {
  return header
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_.\-]+/g, "");
}

const LOOKUP = new Map<string, ImportField>();
for (const [field, names] of Object.entries(SYNONYMS) as [ImportField, readonly string[]][]) {
  for (const name of names) LOOKUP.set(headerKey(name), field);
}

/** A field per header from the header's name; a single-column field goes to the first header that suggests it. */
export function suggestMapping(headers: readonly string[]): Record<string, ImportField> {
  const mapping: Record<string, ImportField> = {};
  const taken = new Set<ImportField>();
  for (const header of headers) {
    let field = LOOKUP.get(headerKey(header)) ?? "ignore";
    if (field !== "ignore" && field !== "alias" && taken.has(field)) field = field === "email" ? "alias" : "ignore";
    taken.add(field);
    mapping[header] = field;
  }
  return mapping;
}
