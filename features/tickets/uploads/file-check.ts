import { fileTypeFromBuffer } from "file-type";
import { toWellFormed } from "@/platform/text/schemas";
import { ACCEPTED_DESCRIPTION, type AttachmentLimits, formatBytes } from "@/features/tickets/uploads/limits";

export { type AttachmentLimits, attachmentLimits, formatBytes, MAX_FILES_PER_MESSAGE } from "@/features/tickets/uploads/limits";

/**
 * What may be attached, decided from the file's bytes (magic numbers, through `file-type`), never
 * from its name or the browser's declared type: the name only has to agree with the content. Text
 * has no magic number, so a file is text when it is valid UTF-8 without control characters.
 */

interface Kind {
  mime: string;
  label: string;
  extensions: readonly string[];
}

/** Detected by content (file-type's `ext`) → what we store. Anything else is refused. */
const BINARY_KINDS: Record<string, Kind> = {
  pdf: { mime: "application/pdf", label: "a PDF document", extensions: ["pdf"] },
  png: { mime: "image/png", label: "a PNG image", extensions: ["png"] },
  jpg: { mime: "image/jpeg", label: "a JPEG image", extensions: ["jpg", "jpeg", "jpe"] },
  gif: { mime: "image/gif", label: "a GIF image", extensions: ["gif"] },
  webp: { mime: "image/webp", label: "a WebP image", extensions: ["webp"] },
  docx: { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "a Word document", extensions: ["docx"] },
  xlsx: { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "an Excel workbook", extensions: ["xlsx"] },
  pptx: { mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation", label: "a PowerPoint presentation", extensions: ["pptx"] },
};
const TEXT_KINDS: Record<string, Kind> = {
  csv: { mime: "text/csv", label: "a CSV file", extensions: ["csv"] },
  text: { mime: "text/plain", label: "a text file", extensions: ["txt", "log", "md", "json", "xml"] },
};

/** Programs and installers, by detected content: refused whatever their name. */
const PROGRAM_LABELS: Record<string, string> = {
  exe: "a Windows program",
  elf: "a Linux program",
  macho: "a macOS program",
  class: "a Java program",
  wasm: "a WebAssembly program",
  msi: "a Windows installer",
  cab: "a Windows cabinet archive",
  apk: "an Android app",
  deb: "a Debian package",
  rpm: "an RPM package",
  dmg: "a macOS disk image",
  swf: "a Flash program",
  dex: "an Android program",
  lnk: "a Windows shortcut",
};
/** Names that run when opened on some system, even when the content is "only text" (scripts). */
const PROGRAM_EXTENSIONS = new Set(
  "exe com bat cmd scr pif msi msp dll cpl jar js jse vbs vbe wsf wsh ps1 psm1 sh bash zsh command app apk deb rpm dmg hta lnk reg sys".split(" "),
);

export type FileCheck = { ok: true; filename: string; contentType: string } | { ok: false; status: 400 | 413 | 415; message: string };

const PATH_CHARACTERS = /[/\\]/;
// Control and format characters (NUL, newlines, bidi overrides that disguise "gpj.exe" as "exe.jpg").
const INVISIBLE_CHARACTERS = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const MAX_NAME_LENGTH = 200;

/**
 * The name as it will be stored and shown: controls and format characters removed, lone surrogates
 * replaced, NFC, outer dots and spaces trimmed, at most 200 characters keeping the extension.
 * A name with a path in it is refused: browsers never send one, so it is a hand-made request.
 */
export function sanitizeFilename(raw: string): { ok: true; filename: string } | { ok: false; message: string } {
  if (PATH_CHARACTERS.test(raw)) {
    return { ok: false, message: 'A file name may not contain "/" or "\\" (a path). Rename the file and try again.' };
  }
  let name = toWellFormed(raw)
    .normalize("NFC")
    .replace(INVISIBLE_CHARACTERS, "")
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, "");
  if (name === "") return { ok: false, message: "The file has no usable name. Rename it and try again." };
  if ([...name].length > MAX_NAME_LENGTH) {
    const dot = name.lastIndexOf(".");
    const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : "";
    name = [...name.slice(0, name.length - extension.length)].slice(0, MAX_NAME_LENGTH - extension.length).join("") + extension;
  }
  return { ok: true, filename: name };
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : "";
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
// Tab, line feed, form feed and carriage return are ordinary in text; other controls mean binary.
const BINARY_CONTROLS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

function isPlainText(content: Uint8Array): boolean {
  try {
    return !BINARY_CONTROLS.test(UTF8.decode(content));
  } catch {
    return false;
  }
}

/**
 * Checks one uploaded file: its name, size and content. Returns the stored name and the content
 * type detected from the bytes, or a refusal that names the file and says what to do.
 */
export async function checkUploadedFile(rawName: string, content: Uint8Array, limits: AttachmentLimits): Promise<FileCheck> {
  const named = sanitizeFilename(rawName);
  if (!named.ok) return { ok: false, status: 400, message: named.message };
  const filename = named.filename;
  const quoted = `"${filename}"`;
  if (content.byteLength === 0) return { ok: false, status: 400, message: `${quoted} is empty (0 bytes). Choose a file with something in it.` };
  if (content.byteLength > limits.maxFileBytes) {
    return {
      ok: false,
      status: 413,
      message: `${quoted} is ${formatBytes(content.byteLength)}; a file can be ${formatBytes(limits.maxFileBytes)} at most.`,
    };
  }
  const extension = extensionOf(filename);
  const detected = await fileTypeFromBuffer(content);
  const program = detected ? PROGRAM_LABELS[detected.ext] : undefined;
  if (program || detected?.mime === "application/x-msdownload") {
    return { ok: false, status: 415, message: `${quoted} is ${program ?? "a Windows program"}. Programs cannot be attached.` };
  }
  if (PROGRAM_EXTENSIONS.has(extension)) {
    return { ok: false, status: 415, message: `${quoted} has a program's extension (.${extension}). Programs and scripts cannot be attached.` };
  }
  const kind = detected ? BINARY_KINDS[detected.ext] : isPlainText(content) ? (extension === "csv" ? TEXT_KINDS.csv : TEXT_KINDS.text) : undefined;
  if (!kind) {
    const what = detected ? ` (its content is ${detected.ext.toUpperCase()})` : "";
    return { ok: false, status: 415, message: `${quoted} is not a type that can be attached${what}. You can attach ${ACCEPTED_DESCRIPTION}.` };
  }
  if (!kind.extensions.includes(extension)) {
    const named = extension ? `is named .${extension}` : "has no extension";
    return {
      ok: false,
      status: 415,
      message: `${quoted} ${named} but its content is ${kind.label}. Rename it to .${kind.extensions[0]} and try again.`,
    };
  }
  return { ok: true, filename, contentType: kind.mime };
}
