import "server-only";
import { isUuid } from "@/platform/ids";
import { readJobProgress } from "@/platform/jobs/queue";

/**
 * GET /api/jobs/<id>: a background job's progress for the progress bar (supervisors and admins;
 * the route wraps this in authorizedRoute). Jobs hold no personal data in their progress, only
 * counts, so any supervisor may watch any job.
 */
export async function jobProgressResponse(id: string): Promise<Response> {
  if (!isUuid(id)) return Response.json({ error: "No such job." }, { status: 404 });
  const job = await readJobProgress(id);
  if (!job) return Response.json({ error: "No such job." }, { status: 404 });
  return Response.json(job, { headers: { "Cache-Control": "private, no-store" } });
}
