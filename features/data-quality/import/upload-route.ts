import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { isUuid } from "@/platform/ids";
import { clientIpFrom } from "@/platform/request";
import { formatMegabytes, MAX_IMPORT_BYTES } from "./csv-file";
import { createImport, errorReportLines, getImport } from "./imports";
import { recordAudit } from "@/platform/audit";
import type { Role } from "@/platform/db/client";
import { readCappedBody } from "@/platform/http/read-capped";

/**
 * HTTP glue of the import (the app/ route files wrap these in authorizedRoute("supervisor")).
 * POST /api/data-quality/imports: the body is the CSV itself, its name in X-File-Name
 * (URI-encoded). The route is under /api/, which the proxy's body cap does not see, so the limit
 * is enforced here while the body streams in: a 2 GB upload is cut off at the first byte past
 * MAX_IMPORT_BYTES, never buffered.
 */
export const FILE_NAME_HEADER = "x-file-name";

const refuse = (status: number, error: string) => Response.json({ error }, { status });
const TOO_LARGE = `The file is larger than ${formatMegabytes(MAX_IMPORT_BYTES)}, the most an import can be. Split it into smaller files.`;

export async function receiveImportUpload(request: Request, actor: Actor): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > MAX_IMPORT_BYTES) return refuse(413, TOO_LARGE);
  let name = "import.csv";
  const header = request.headers.get(FILE_NAME_HEADER);
  if (header) {
    try {
      name = decodeURIComponent(header);
    } catch {
      return refuse(400, "The file name is not valid (X-File-Name must be URI-encoded UTF-8).");
    }
  }
  const bytes = await readCappedBody(request, MAX_IMPORT_BYTES);
  if (bytes === "too_large") return refuse(413, TOO_LARGE);
  const result = await createImport(
    actor,
    name,
    bytes,
    clientIpFrom((name) => request.headers.get(name)),
  );
  if (!result.ok) return refuse(422, result.message);
  return Response.json({ importId: result.importId }, { status: 201 });
}

/** GET /api/data-quality/imports/<id>/errors: the error report as CSV (row, column, value, outcome, reason). */
export async function errorReportResponse(id: string, actor: { userId: string; role: Role }, ip: string | null): Promise<Response> {
  if (!isUuid(id)) return refuse(404, "There is no such import.");
  const found = await getImport(id);
  if (!found) return refuse(404, "There is no such import.");
  // The report carries the file's cell values: taking them out of Veridesk is recorded, like any export.
  await recordAudit({ action: "customer_import.errors_exported", actor, subjectType: "customer_import", subjectId: id, ip });
  const lines = errorReportLines(id);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const fileName = `${
    found.fileName
      .replace(/\.csv$/i, "")
      .replace(/[^\w.-]+/g, "_")
      .slice(0, 80) || "import"
  }-errors.csv`;
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
