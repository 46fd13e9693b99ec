/**
 * Attachment limits and wording shared by the server check (file-check.ts) and the browser's
 * picker, which refuses what it can before uploading (the server decides either way).
 */

export const MAX_FILES_PER_MESSAGE = 10;
const MB = 1024 * 1024;

export interface AttachmentLimits {
  maxFileBytes: number;
  maxMessageBytes: number;
}

export function attachmentLimits(env: { ATTACHMENT_MAX_FILE_MB: number; ATTACHMENT_MAX_MESSAGE_MB: number }): AttachmentLimits {
  return { maxFileBytes: env.ATTACHMENT_MAX_FILE_MB * MB, maxMessageBytes: env.ATTACHMENT_MAX_MESSAGE_MB * MB };
}

/** "25 MB", "1.5 MB", "12 KB": for messages about sizes. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}

export const ACCEPTED_DESCRIPTION = "PDF, images (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint, and text or CSV files";

/** For the file input's accept attribute: a hint to the picker only (file-check.ts decides from the content). */
export const ACCEPT_ATTRIBUTE = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.txt,.log,.md,.json,.xml,.csv";
