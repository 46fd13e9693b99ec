import "server-only";
import { randomUUID } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import { recordAudit } from "@/platform/audit";
import { mayEnter } from "@/platform/auth/policy";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { isUuid } from "@/platform/ids";
import { readCappedBody } from "@/platform/http/read-capped";
import { fileStore } from "@/platform/storage";
import { sanitizeFilename } from "@/features/tickets/uploads/file-check";

/**
 * Images in help-centre articles: uploaded by staff from the editor (POST /api/help-centre/images,
 * the body is the file, its name in X-File-Name), served at /help/files/<id>. Only PNG, JPEG, GIF
 * and WebP, recognised from the bytes (never SVG, which can carry script). Everyone may fetch an
 * image a public article uses; staff any image (drafts have images too); anyone else gets 404.
 */
export const MAX_KB_IMAGE_BYTES = 5 * 1024 * 1024;
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const refuse = (status: number, error: string) => Response.json({ error }, { status });

export async function receiveKbImage(request: Request, actor: Actor): Promise<Response> {
  let rawName = request.headers.get("x-file-name") ?? "";
  try {
    rawName = decodeURIComponent(rawName);
  } catch {
    return refuse(400, "The file name is not readable (X-File-Name, URI-encoded).");
  }
  const named = sanitizeFilename(rawName || "image");
  if (!named.ok) return refuse(400, named.message);
  if (Number(request.headers.get("content-length") ?? "0") > MAX_KB_IMAGE_BYTES) return refuse(413, "An image can be 5 MB at most.");
  let content: Buffer | "too_large";
  try {
    content = await readCappedBody(request, MAX_KB_IMAGE_BYTES);
  } catch {
    return refuse(400, "The upload was interrupted. Try again.");
  }
  if (content === "too_large") return refuse(413, "An image can be 5 MB at most.");
  if (content.byteLength === 0) return refuse(400, "The file is empty.");
  const detected = await fileTypeFromBuffer(content);
  if (!detected || !IMAGE_TYPES.has(detected.mime)) return refuse(415, `"${named.filename}" is not a PNG, JPEG, GIF or WebP image.`);
  const storageKey = `kb-image/${randomUUID()}`;
  const image = await db.$transaction(async (tx) => {
    await fileStore().put(storageKey, content, tx);
    const created = await tx.kbImage.create({
      data: { storageKey, filename: named.filename, contentType: detected.mime, sizeBytes: content.byteLength, uploadedById: actor.userId },
      select: { id: true, filename: true },
    });
    await recordAudit({ action: "help.image_uploaded", actor: { userId: actor.userId, role: actor.role }, subjectType: "KbImage", subjectId: created.id }, tx);
    return created;
  });
  const url = `/help/files/${image.id}`;
  const alt = image.filename.replace(/\.[a-z0-9]+$/i, "").replace(/[[\]]/g, "");
  return Response.json({ id: image.id, url, markdown: `![${alt}](${url})` }, { status: 201 });
}

/** GET /help/files/<id>: the image, to everyone when a public article uses it, to staff always. */
export async function serveKbImage(id: string, viewer: Actor | null): Promise<Response> {
  const notFound = () => new Response("Not found", { status: 404 });
  if (!isUuid(id)) return notFound();
  const image = await db.kbImage.findUnique({ where: { id }, select: { storageKey: true, contentType: true } });
  if (!image) return notFound();
  const staff = viewer !== null && mayEnter(viewer.role, "console");
  const usedPublicly =
    (await db.kbArticle.findFirst({ where: { visibility: "public", body: { contains: `/help/files/${id}` } }, select: { id: true } })) !== null;
  if (!staff && !usedPublicly) return notFound();
  const bytes = await fileStore().get(image.storageKey);
  if (!bytes) return notFound();
  return new Response(new Uint8Array(bytes), {
    headers: {
      "content-type": image.contentType,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      // Staff may be looking at a draft's image: not cached where others could get it.
      "cache-control": usedPublicly ? "public, max-age=300" : "private, no-store",
    },
  });
}
