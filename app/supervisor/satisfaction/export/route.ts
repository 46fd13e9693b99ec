import { satisfactionCsv, satisfactionCsvFilename } from "@/features/reporting/satisfaction/csv-export";
import { periodOf, satisfactionReport } from "@/features/reporting/satisfaction/report";
import { satisfactionExportSchema } from "@/features/reporting/satisfaction/schemas";
import { authorizedRoute } from "@/platform/auth/guard";
import { appNow } from "@/platform/clock";

/** CSV of one table of the satisfaction report (?table=agents|tiers|identity|deflection|searches&from&to). Supervisors and admins only. */
export const GET = authorizedRoute("supervisor", async (request, actor) => {
  const params = new URL(request.url).searchParams;
  const table = satisfactionExportSchema.safeParse({ table: params.get("table") ?? "" });
  if (!table.success) return Response.json({ error: "Choose a table: agents, tiers, identity, deflection or searches." }, { status: 400 });
  const now = await appNow();
  const { period, errors } = periodOf(params, actor.timeZone ?? null, now);
  if (Object.keys(errors).length > 0) return Response.json({ error: "The date range needs attention.", fieldErrors: errors }, { status: 400 });
  const report = await satisfactionReport(period, now);
  return new Response(satisfactionCsv(report, table.data.table), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="${satisfactionCsvFilename(report, table.data.table)}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
