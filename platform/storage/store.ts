import type { Prisma } from "@/platform/db/client";

/**
 * Where uploaded files' bytes live, behind three calls so that an S3-compatible store can replace
 * the default later. Keys are opaque strings made by the caller (one per file, never reused).
 *
 * `tx` lets the PostgreSQL store write in the caller's transaction, so a file and the row that
 * names it commit (or vanish) together. A store that cannot join a transaction (S3) ignores it;
 * its orphans (put, then the row's transaction failed) are what the sweep of pending uploads and
 * `delete` are for.
 */
export interface FileStore {
  readonly name: string;
  put(key: string, content: Uint8Array, tx?: Prisma.TransactionClient): Promise<void>;
  /** The bytes, or null when there is no such key. */
  get(key: string): Promise<Uint8Array | null>;
  /** Deleting a key that is not there is not an error. */
  delete(keys: readonly string[], tx?: Prisma.TransactionClient): Promise<void>;
}
