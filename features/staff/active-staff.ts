import "server-only";
import { Prisma, type Role } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";

export interface ActiveStaffMember {
  id: string;
  name: string;
  role: Role;
}

/**
 * Everyone who can be given a ticket: active agents, supervisors and administrators, by name.
 * The ticket page's assignee list and the supervisors' reassign lists read it; a prepared
 * statement because the ticket page does on every open (ARCHITECTURE.md, "Hot paths").
 */
export async function activeStaff(): Promise<ActiveStaffMember[]> {
  return queryPrepared<ActiveStaffMember>(Prisma.sql`
    SELECT "id", "name", "role" FROM "User"
     WHERE "role" IN ('agent', 'supervisor', 'admin') AND "disabledAt" IS NULL
     ORDER BY "name", "id"`);
}
