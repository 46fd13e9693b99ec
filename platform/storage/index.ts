import { postgresFileStore } from "./postgres-store";
import type { FileStore } from "./store";

export type { FileStore } from "./store";

/** The configured file store. PostgreSQL is the only one today; an S3-compatible one plugs in here. */
export function fileStore(): FileStore {
  return postgresFileStore;
}
