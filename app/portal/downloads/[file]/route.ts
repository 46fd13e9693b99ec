import { recordAudit } from "@/platform/audit";
import { authorizedRoute } from "@/platform/auth/guard";
import { loadPortalAccess } from "@/features/portal/access";
import { findDemoDownload } from "@/features/portal/downloads";

/** A file from Downloads: customers only, and only while verified with a valid agreement (checked here too, not just on the list). */
export const GET = authorizedRoute("portal", async (_request, actor, context) => {
  const { file } = await context.params;
  const download = typeof file === "string" ? findDemoDownload(file) : undefined;
  if (!download) return Response.json({ error: "There is no such download." }, { status: 404 });
  const access = await loadPortalAccess(actor.userId);
  if (!access.downloads.allowed) return Response.json({ error: access.downloads.reason }, { status: 403 });
  await recordAudit({
    action: "portal.download",
    actor: { userId: actor.userId, role: actor.role },
    subjectType: "Customer",
    subjectId: access.customer?.id,
    details: { file: download.file },
  });
  return new Response(download.content, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${download.file}"`,
      "Cache-Control": "private, no-store",
    },
  });
});
