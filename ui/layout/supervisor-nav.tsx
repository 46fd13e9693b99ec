import { SectionNav } from "@/ui/layout/section-nav";

export const SUPERVISOR_SECTIONS = [
  { href: "/supervisor", label: "Escalations" },
  { href: "/supervisor/reports", label: "Reports" },
  { href: "/supervisor/satisfaction", label: "Satisfaction" },
  { href: "/supervisor/data-quality", label: "Data quality" },
  { href: "/supervisor/audit", label: "Audit log" },
  { href: "/supervisor/sla", label: "SLA policies" },
  { href: "/supervisor/outbox", label: "Outgoing messages" },
  { href: "/supervisor/unlocks", label: "Staff unlocks" },
] as const;

export function SupervisorNav() {
  return <SectionNav label="Supervisor sections" sections={SUPERVISOR_SECTIONS} root="/supervisor" />;
}
