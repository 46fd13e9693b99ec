"use server";

import "server-only";

import { recordAudit } from "@/platform/audit";
import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { db } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { requestJobCancel } from "@/platform/jobs/queue";
import { cancelJobSchema } from "@/features/jobs/schemas";

/** Stops a background job (an import, a validation run, a campaign): a queued one at once, a running one at its next checkpoint. */
export const cancelJobAction = authorizedAction("supervisor", cancelJobSchema, async (input, actor) => {
  const job = await db.backgroundJob.findUnique({ where: { id: input.jobId }, select: { status: true, kind: true } });
  if (!job) throw new DomainError("This job no longer exists.", "not_found");
  if (job.status !== "queued" && job.status !== "running") throw new DomainError("This job has already ended.", "conflict");
  await requestJobCancel(input.jobId);
  await recordAudit({
    action: "job.cancel_requested",
    actor: { userId: actor.userId, role: actor.role },
    subjectType: "background_job",
    subjectId: input.jobId,
    ip: await requestIp(),
    details: { kind: job.kind },
  });
  return { message: "Stopping: the job ends after the batch it is working on." };
});
