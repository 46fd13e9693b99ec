import { SectionNav } from "@/ui/layout/section-nav";

/** The data-quality pages, as tabs under the supervisor's "Data quality" section. */
export const DATA_QUALITY_SECTIONS = [
  { href: "/supervisor/data-quality", label: "Report" },
  { href: "/supervisor/data-quality/import", label: "Import" },
  { href: "/supervisor/data-quality/validation", label: "Validation" },
  { href: "/supervisor/data-quality/cleansing", label: "Cleansing" },
  { href: "/supervisor/data-quality/campaigns", label: "Re-verification" },
] as const;

export function DataQualityNav() {
  return <SectionNav label="Data quality pages" sections={DATA_QUALITY_SECTIONS} root="/supervisor/data-quality" />;
}
