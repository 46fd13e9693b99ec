import "server-only";
import type { Metadata } from "next";
import { StaffRoles } from "@/features/staff/components/staff-roles";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { formatAbsolute, formatInstant } from "@/platform/time-zone";
import { listStaff } from "@/features/staff/roles";

export const metadata: Metadata = { title: "Staff roles" };

/** Administrators give staff their roles: agent, supervisor or administrator. */
export default async function StaffRolesPage() {
  const actor = await requirePageActor("admin");
  const [staff, zone] = await Promise.all([listStaff(), viewerTimeZone()]);
  return (
    <>
      <PageHeader
        title="Staff roles"
        description="Who may do what: agents work the ticket console, supervisors also the supervisor console, administrators also this page. A change applies on the person's next page load and is recorded in the audit log."
      />
      <StaffRoles
        currentUserId={actor.userId}
        staff={staff.map((member) => ({
          id: member.id,
          name: member.name,
          email: member.email,
          role: member.role,
          disabled: member.disabled,
          lastSignIn: member.lastSignInAt
            ? {
                iso: member.lastSignInAt.toISOString(),
                text: formatInstant(member.lastSignInAt, zone, "date"),
                title: formatAbsolute(member.lastSignInAt, zone),
              }
            : null,
        }))}
      />
    </>
  );
}
