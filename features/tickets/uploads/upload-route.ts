import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { isRetryableDatabaseError } from "@/platform/db/errors";
import { serverEnv } from "@/platform/env";
import { isUuid } from "@/platform/ids";
import { KeyedLimiter } from "@/platform/concurrency/key-limiter";
import { attachmentLimits, formatBytes } from "@/features/tickets/uploads/file-check";
import { deletePendingUpload, storeUpload } from "@/features/tickets/uploads/uploads";
import { readCappedBody } from "@/platform/http/read-capped";

/**
 * HTTP glue of POST /api/{portal,console}/attachments: the body is the file itself (so the
 * browser's upload progress is the file's), its name in the X-File-Name header, URI-encoded.
 * The route sits under /api/, which proxy.ts does not see, so no proxy body cap applies; this
 * handler stops reading as soon as the body passes the per-file limit.
 */
export const FILE_NAME_HEADER = "x-file-name";

/**
 * Files one person may be sending at once to this instance: each holds up to a file's worth of
 * memory until it is stored, so a script cannot exhaust the process with parallel uploads. The
 * picker uploads one file at a time, so 2 leaves room for a retry while one is still going.
 */
export const MAX_UPLOADS_IN_FLIGHT_PER_PERSON = 2;
const uploadsInFlight = new KeyedLimiter(MAX_UPLOADS_IN_FLIGHT_PER_PERSON);

const refuse = (status: number, error: string) => Response.json({ error }, { status });

function fileNameFrom(request: Request): string | null {
  const header = request.headers.get(FILE_NAME_HEADER);
  if (!header) return null;
  try {
    return decodeURIComponent(header);
  } catch {
    return null;
  }
}

export async function receiveUpload(request: Request, actor: Actor): Promise<Response> {
  const limits = attachmentLimits(serverEnv());
  const name = fileNameFrom(request);
  if (name === null) return refuse(400, "The upload has no file name (X-File-Name header, URI-encoded).");
  const tooLarge = () => refuse(413, `"${name}" is larger than ${formatBytes(limits.maxFileBytes)}, the most a file can be.`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > limits.maxFileBytes) return tooLarge();
  const release = uploadsInFlight.tryAcquire(actor.userId);
  if (!release) {
    await request.body?.cancel().catch(() => {});
    return refuse(429, `You are already uploading ${MAX_UPLOADS_IN_FLIGHT_PER_PERSON} files. Wait for one of them to finish, then attach "${name}" again.`);
  }
  try {
    return await receiveWithinLimit(request, actor, name, limits, tooLarge);
  } finally {
    release();
  }
}

async function receiveWithinLimit(
  request: Request,
  actor: Actor,
  name: string,
  limits: ReturnType<typeof attachmentLimits>,
  tooLarge: () => Response,
): Promise<Response> {
  let content: Buffer | "too_large";
  try {
    content = await readCappedBody(request, limits.maxFileBytes);
  } catch {
    return refuse(400, "The upload was interrupted. Try again.");
  }
  if (content === "too_large") return tooLarge();
  let outcome: Awaited<ReturnType<typeof storeUpload>>;
  try {
    outcome = await storeUpload(actor, name, content, limits);
  } catch (error) {
    // Nothing was stored (one transaction); the picker shows this on the file.
    if (isRetryableDatabaseError(error)) return refuse(503, `"${name}" could not be saved: the database is busy. Remove it and attach it again.`);
    throw error;
  }
  if (!outcome.ok) return refuse(outcome.status, outcome.message);
  return Response.json(outcome.upload, { status: 201 });
}

/**
 * DELETE ?id=<upload id>. A query parameter, not a path segment: proxy.ts does not run for /api/,
 * so an undecodable dynamic segment there would reach Next.js and be answered 500.
 */
export async function removeUpload(request: Request, actor: Actor): Promise<Response> {
  const uploadId = new URL(request.url).searchParams.get("id");
  if (!isUuid(uploadId) || !(await deletePendingUpload(actor, uploadId))) return refuse(404, "There is no such file waiting to be sent.");
  return new Response(null, { status: 204 });
}
