import { auditCsvStream, auditExportFilename } from "@/features/audit/csv-export";
import { parseAuditFilter } from "@/features/audit/queries";
import { authorizedRoute, requestIp } from "@/platform/auth/guard";

/** CSV export of the audit log with the page's filter (same query string), streamed. Supervisors and admins only. */
export const GET = authorizedRoute("supervisor", async (request, actor) => {
  const parsed = parseAuditFilter(new URL(request.url).searchParams);
  if (!parsed.ok) return Response.json({ error: "Some filters need attention.", fieldErrors: parsed.errors }, { status: 400 });
  const stream = await auditCsvStream(parsed.filter, { userId: actor.userId, role: actor.role }, await requestIp());
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="${auditExportFilename(new Date())}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
