import { SectionNav } from "@/ui/layout/section-nav";

export const ADMIN_SECTIONS = [
  { href: "/admin/staff", label: "Staff" },
  { href: "/admin/api", label: "API tokens" },
  { href: "/admin/webhooks", label: "Webhooks" },
] as const;

export function AdminNav() {
  return <SectionNav label="Administration sections" sections={ADMIN_SECTIONS} root="/admin" />;
}
