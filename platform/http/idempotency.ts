import { createHash } from "node:crypto";
import { db, type Prisma } from "@/platform/db/client";
import { problem } from "@/platform/http/problem";
import { readCappedBody } from "@/platform/http/read-capped";

/**
 * `Idempotency-Key` for every POST of the REST API (draft-ietf-httpapi-idempotency-key-header),
 * applied by apiRoute (platform/auth/guard.ts) so that no POST can go without it. The key is
 * claimed by a unique insert in PostgreSQL (ApiIdempotencyKey, per token) before the handler runs,
 * so however many instances receive retries of one request, exactly one runs it; the others wait
 * for its answer and replay it (same status, same body). The same key with another request
 * (method, path or body) is refused; a key is kept 24 hours.
 *
 * Stored: every answer below 500 except 409 and 429 (a retry of a refused request gets the same
 * refusal). Not stored: 5xx, 409 and 429, and a handler that threw — the claim is released, so a
 * retry runs afresh. Known gap: an instance that dies after its handler committed and before the
 * answer is stored leaves the claim to expire after its lease, when a retry would run again.
 */

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** The most any POST body of the API may be (a 20,000-character message is at most 80 KB of UTF-8). */
export const API_BODY_MAX_BYTES = 256 * 1024;
/** How long the first request's claim holds: longer than any handler's transaction timeout. */
const LEASE_MS = 60_000;
/** How long a concurrent retry waits for the first one's answer before giving up with 409. */
const WAIT_MS = 15_000;
const POLL_MS = 50;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ["content-type", "location", "etag", "cache-control"] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a key is bound to: method, path with query, and the body's bytes (SHA-256). */
export function idempotencyFingerprint(method: string, url: URL, body: Buffer): string {
  return createHash("sha256").update(`${method}\n${url.pathname}${url.search}\n`).update(body).digest("hex");
}

function missingKey(detail: string): Response {
  return problem("invalid", detail, { errors: [{ field: "Idempotency-Key", message: detail }] });
}

type StoredAnswer = { status: number; body: string | null; headers: Prisma.JsonValue };

function replay(stored: StoredAnswer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries((stored.headers ?? {}) as Record<string, string>)) headers.set(name, value);
  headers.set("idempotent-replayed", "true");
  return new Response(stored.body, { status: stored.status, headers });
}

const isStored = (status: number) => status < 500 && status !== 409 && status !== 429;

/**
 * Runs `handle` at most once per (token, Idempotency-Key) and answers every retry with its first
 * answer. `handle` receives the request with its body already read (and capped); it must answer
 * with a Response for every outcome it knows (apiRoute maps domain errors before this sees them).
 */
export async function withIdempotencyKey(request: Request, tokenId: string, handle: (request: Request) => Promise<Response>): Promise<Response> {
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null) return missingKey("Send an Idempotency-Key header with every POST (a UUID made once per operation and sent again with each retry).");
  if (!KEY_PATTERN.test(key)) return missingKey("An Idempotency-Key is 1–255 visible ASCII characters (a UUID is best).");
  const bytes = await readCappedBody(request, API_BODY_MAX_BYTES);
  if (bytes === "too_large") return problem("payload_too_large", `A request body may be at most ${API_BODY_MAX_BYTES / 1024} KB.`);
  const url = new URL(request.url);
  const fingerprint = idempotencyFingerprint(request.method, url, bytes);

  const started = Date.now();
  for (;;) {
    const now = new Date();
    const claimed = await db.$executeRaw`
      INSERT INTO "ApiIdempotencyKey" ("tokenId", "key", "fingerprint", "lockedUntil", "expiresAt")
      VALUES (${tokenId}::uuid, ${key}, ${fingerprint}, ${new Date(now.getTime() + LEASE_MS)}, ${new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000)})
      ON CONFLICT DO NOTHING`;
    if (claimed === 1) break;
    const row = await db.apiIdempotencyKey.findUnique({ where: { tokenId_key: { tokenId, key } } });
    if (!row) continue; // released or expired meanwhile: claim again
    if (row.expiresAt <= now) {
      await db.apiIdempotencyKey.deleteMany({ where: { tokenId, key, expiresAt: { lte: now } } });
      continue;
    }
    if (row.fingerprint !== fingerprint) {
      return problem("invalid", "This Idempotency-Key was used for another request (method, path or body). Use a new key for a new operation.", {
        errors: [{ field: "Idempotency-Key", message: "Already used for another request." }],
      });
    }
    if (row.status !== null) return replay({ status: row.status, body: row.body, headers: row.headers });
    if (row.lockedUntil <= now) {
      // The first request's instance died mid-way: this retry takes the claim over.
      const taken = await db.apiIdempotencyKey.updateMany({
        where: { tokenId, key, status: null, lockedUntil: { lte: now } },
        data: { lockedUntil: new Date(now.getTime() + LEASE_MS) },
      });
      if (taken.count === 1) break;
      continue;
    }
    if (Date.now() - started > WAIT_MS) {
      return problem("conflict", "A request with this Idempotency-Key is still being processed. Retry it in a moment to get its answer.", {
        headers: { "retry-after": "1" },
      });
    }
    await sleep(POLL_MS);
  }

  const release = () => db.apiIdempotencyKey.deleteMany({ where: { tokenId, key, status: null } });
  let response: Response;
  try {
    response = await handle(new Request(request.url, { method: request.method, headers: request.headers, body: new Uint8Array(bytes) }));
  } catch (error) {
    await release().catch(() => {});
    throw error;
  }
  if (!isStored(response.status)) {
    await release();
    return response;
  }
  const body = await response.text();
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  await db.apiIdempotencyKey.updateMany({ where: { tokenId, key, fingerprint }, data: { status: response.status, body, headers } });
  await purgeExpiredIdempotencyKeys();
  return new Response(body, { status: response.status, headers: response.headers });
}

/**
 * Housekeeping, a little at a time: each stored answer removes up to `batch` keys past their 24
 * hours (through the expiresAt index, so it costs next to nothing when there are none), so the
 * table holds about one day of POSTs without a scheduler.
 */
export async function purgeExpiredIdempotencyKeys(now: Date = new Date(), batch = 100): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "ApiIdempotencyKey" WHERE ctid IN (
      SELECT ctid FROM "ApiIdempotencyKey" WHERE "expiresAt" < ${now} LIMIT ${batch} FOR UPDATE SKIP LOCKED)`;
}
