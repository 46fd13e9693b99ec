import { db } from "@/lib/db/client";

export async function listOpenEscalations(take = 50) {
  return db.escalation.findMany({
    where: { status: { in: ["open", "claimed"] } },
    orderBy: { raisedAt: "asc" },
    take,
    select: {
      id: true,
      reason: true,
      note: true,
      status: true,
      automatic: true,
      raisedAt: true,
      raisedBy: { select: { name: true } },
      assignee: { select: { name: true } },
      ticket: { select: { id: true, number: true, subject: true } },
    },
  });
}
