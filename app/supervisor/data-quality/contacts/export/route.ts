import { contactsCsvStream, contactsExportFilename } from "@/features/data-quality/report/csv-export";
import { parseContactFilter } from "@/features/data-quality/report/schemas";
import { authorizedRoute, requestIp } from "@/platform/auth/guard";

/** CSV export of a data-quality drill-down list (same query string as the page), streamed. Supervisors and admins only. */
export const GET = authorizedRoute("supervisor", async (request, actor) => {
  const parsed = parseContactFilter(new URL(request.url).searchParams);
  if (!parsed.ok) return Response.json({ error: "This list's filter needs attention.", fieldErrors: parsed.errors }, { status: 400 });
  const stream = await contactsCsvStream(parsed.filter, { userId: actor.userId, role: actor.role }, await requestIp());
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="${contactsExportFilename(parsed.filter, new Date())}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
