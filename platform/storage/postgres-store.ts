import { db, type Prisma } from "@/platform/db/client";
import type { FileStore } from "./store";

/** The default store: files in the StoredFile table, so every app instance can serve every file. */
export const postgresFileStore: FileStore = {
  name: "postgres",
  async put(key, content, tx) {
    // Passed through as is (no copy: a file can be 25 MB); callers hand over ArrayBuffer-backed bytes (Buffer.concat, Uint8Array).
    await (tx ?? db).storedFile.create({ data: { key, content: content as Uint8Array<ArrayBuffer> }, select: { key: true } });
  },
  async get(key) {
    const row = await db.storedFile.findUnique({ where: { key }, select: { content: true } });
    return row ? new Uint8Array(row.content) : null;
  },
  async delete(keys, tx?: Prisma.TransactionClient) {
    if (keys.length === 0) return;
    await (tx ?? db).storedFile.deleteMany({ where: { key: { in: [...keys] } } });
  },
};
