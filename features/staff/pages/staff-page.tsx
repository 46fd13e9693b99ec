import "server-only";
import type { Metadata } from "next";
import { InviteStaffForm, PendingInvitations } from "@/features/staff/components/invite-staff";
import { StaffRoles } from "@/features/staff/components/staff-roles";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { formatDuration } from "@/platform/text/durations";
import { formatAbsolute, formatInstant } from "@/platform/time-zone";
import { listPendingInvitations } from "@/features/staff/invitations";
import { listStaff } from "@/features/staff/roles";

export const metadata: Metadata = { title: "Staff" };

/** Administrators invite staff, give them their roles, and deactivate or reactivate them. */
export default async function StaffPage() {
  const actor = await requirePageActor("admin");
  const [staff, invitations, zone] = await Promise.all([listStaff(), listPendingInvitations(), viewerTimeZone()]);
  const now = Date.now();
  return (
    <>
      <PageHeader
        title="Staff"
        description="Who may do what: agents work the ticket console, supervisors also the supervisor console, administrators also this page. Every change is recorded in the audit log."
      />
      <div className="flex flex-col gap-6">
        <Panel
          id="invite-heading"
          title="Invite a person"
          description="They get an email with a link to choose their password. The link works once and expires; you can resend or revoke it below."
        >
          <InviteStaffForm />
        </Panel>
        <Panel id="pending-heading" title="Pending invitations">
          <PendingInvitations
            invitations={invitations.map((invitation) => {
              const expired = invitation.expiresAt.getTime() <= now;
              const absolute = formatAbsolute(invitation.expiresAt, zone);
              return {
                id: invitation.id,
                name: invitation.name,
                email: invitation.email,
                role: invitation.role,
                expiresAtIso: invitation.expiresAt.toISOString(),
                expired,
                expiresLabel: expired ? `expired ${absolute}` : `${absolute} (in ${formatDuration(Math.floor((invitation.expiresAt.getTime() - now) / 1000))})`,
                invitedBy: invitation.invitedBy,
              };
            })}
          />
        </Panel>
        <section aria-labelledby="staff-heading" className="flex flex-col gap-3">
          <h2 id="staff-heading" className="text-lg font-semibold text-slate-900">
            Staff roles
          </h2>
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
        </section>
      </div>
    </>
  );
}
