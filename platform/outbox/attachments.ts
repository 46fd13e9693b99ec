/**
 * Files an outgoing email carries. The outbox row keeps only the ids its feature gave them (so a
 * 25 MB file is not copied into every queued row); the feature that owns those ids registers, at
 * start-up, how to turn them into files at send time. platform/ knows no feature, hence the hook.
 */

export interface AttachmentFileContent {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** The files for these ids in this order; throws MissingAttachmentError when some are gone. */
export type EmailAttachmentResolver = (ids: readonly string[]) => Promise<AttachmentFileContent[]>;

export class MissingAttachmentError extends Error {
  constructor(readonly missing: number) {
    super(`${missing} attachment(s) of this email are no longer stored`);
    this.name = "MissingAttachmentError";
  }
}

// On globalThis: instrumentation and route handlers are separate bundles (as for the worker).
const registry = globalThis as unknown as { veridesk_emailAttachmentResolver?: EmailAttachmentResolver };

export function registerEmailAttachmentResolver(resolver: EmailAttachmentResolver): void {
  registry.veridesk_emailAttachmentResolver = resolver;
}

export async function resolveEmailAttachments(ids: readonly string[]): Promise<AttachmentFileContent[]> {
  const resolver = registry.veridesk_emailAttachmentResolver;
  // A start-up mistake, not the message's fault: retried (attempts are bounded) once it is fixed.
  if (!resolver) throw new Error("No email attachment resolver is registered in this process (see instrumentation.ts).");
  return resolver(ids);
}
