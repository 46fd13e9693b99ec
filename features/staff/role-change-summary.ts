import { type Area, mayEnter } from "@/platform/auth/policy";
import type { StaffRole } from "@/features/staff/schemas";

/** The areas a staff role change can add or take away, as the confirmation names them. */
const CHANGEABLE_AREAS: readonly { area: Area; gained: string; lost: string }[] = [
  { area: "supervisor", gained: "the supervisor console (escalations, SLA policies, audit log, reports, unlocks)", lost: "the supervisor console" },
  { area: "admin", gained: "staff roles (this page)", lost: "staff roles (this page)" },
];

/**
 * What a role change does to the person's access, in a sentence or two for the confirmation on
 * /admin/staff. Read from the access policy itself (platform/auth/policy.ts), so it cannot drift from it.
 */
export function roleChangeConsequence(from: StaffRole, to: StaffRole): string {
  const gained = CHANGEABLE_AREAS.filter(({ area }) => !mayEnter(from, area) && mayEnter(to, area)).map((entry) => entry.gained);
  const lost = CHANGEABLE_AREAS.filter(({ area }) => mayEnter(from, area) && !mayEnter(to, area)).map((entry) => entry.lost);
  const parts = [gained.length ? `They gain ${gained.join(" and ")}.` : "", lost.length ? `They lose ${lost.join(" and ")}.` : ""].filter(Boolean);
  return [...parts, "It applies on their next page load; they stay signed in."].join(" ");
}
