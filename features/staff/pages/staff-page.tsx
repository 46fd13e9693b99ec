import "server-only";
import type { Metadata } from "next";
import { StaffRoles } from "@/features/staff/components/staff-roles";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { listStaff } from "@/features/staff/roles";

export const metadata: Metadata = { title: "Staff roles" };

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** Administrators give staff their roles: agent, supervisor or administrator. */
export default async function StaffRolesPage() {
  const actor = await requirePageActor("admin");
  const staff = await listStaff();
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
          lastSignIn: member.lastSignInAt ? utcDay(member.lastSignInAt) : null,
        }))}
      />
    </>
  );
}
