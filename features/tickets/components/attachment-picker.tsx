"use client";

import { type DragEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { ACCEPT_ATTRIBUTE, ACCEPTED_DESCRIPTION, type AttachmentLimits, formatBytes, MAX_FILES_PER_MESSAGE } from "@/features/tickets/uploads/limits";

/**
 * Files attached to a message being written. Each file goes up at once on its own request
 * (POST /api/{portal,console}/attachments, the body is the file), so each has a real progress
 * bar; the server answers with a pending upload id that the message's send claims. Sizes and
 * counts are checked here first to save a pointless upload; the type is checked by the server from
 * the content, and its refusal is shown on the file.
 */

type UploadState = { status: "uploading"; progress: number } | { status: "done"; id: string } | { status: "refused"; error: string };

export interface PickedFile {
  key: string;
  name: string;
  size: number;
  state: UploadState;
}

export interface AttachmentUploads {
  files: PickedFile[];
  /** Ids of the uploaded files, for the message's attachmentIds. */
  readyIds: string[];
  /** A file is still going up: sending now would leave it behind. */
  busy: boolean;
  add(files: FileList | File[]): void;
  remove(key: string): void;
  /** After the message was sent: its files are claimed, the list starts empty again. */
  clear(): void;
  uploadUrl: string;
  limits: AttachmentLimits;
}

const errorFromResponse = (xhr: XMLHttpRequest, name: string): string => {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: unknown };
    if (typeof body.error === "string") return body.error;
  } catch {
    // Not JSON (a proxy's error page): fall through to a general sentence.
  }
  return `"${name}" could not be uploaded (${xhr.status || "no answer"}). Try again.`;
};

export function useAttachmentUploads(uploadUrl: string, limits: AttachmentLimits): AttachmentUploads {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const requests = useRef(new Map<string, XMLHttpRequest>());
  const filesRef = useRef(files);
  filesRef.current = files;

  const update = useCallback((key: string, state: UploadState) => {
    setFiles((current) => current.map((file) => (file.key === key ? { ...file, state } : file)));
  }, []);

  const upload = useCallback(
    (key: string, file: File) => {
      const xhr = new XMLHttpRequest();
      requests.current.set(key, xhr);
      xhr.open("POST", uploadUrl);
      xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) update(key, { status: "uploading", progress: Math.round((event.loaded / event.total) * 100) });
      };
      xhr.onload = () => {
        requests.current.delete(key);
        if (xhr.status === 201) {
          const body = JSON.parse(xhr.responseText) as { id: string };
          update(key, { status: "done", id: body.id });
        } else {
          update(key, { status: "refused", error: errorFromResponse(xhr, file.name) });
        }
      };
      xhr.onerror = () => {
        requests.current.delete(key);
        update(key, { status: "refused", error: `"${file.name}" could not be uploaded: the connection failed. Remove it and attach it again.` });
      };
      xhr.send(file);
    },
    [uploadUrl, update],
  );

  const add = useCallback(
    (picked: FileList | File[]) => {
      const current = filesRef.current.filter((file) => file.state.status !== "refused");
      let count = current.length;
      let total = current.reduce((sum, file) => sum + file.size, 0);
      const added: PickedFile[] = [];
      const toUpload: [string, File][] = [];
      for (const file of Array.from(picked)) {
        const key = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        const refuse = (error: string) => added.push({ key, name: file.name, size: file.size, state: { status: "refused", error } });
        if (file.size === 0) refuse(`"${file.name}" is empty (0 bytes). Choose a file with something in it.`);
        else if (file.size > limits.maxFileBytes)
          refuse(`"${file.name}" is ${formatBytes(file.size)}; a file can be ${formatBytes(limits.maxFileBytes)} at most.`);
        else if (count >= MAX_FILES_PER_MESSAGE) refuse(`"${file.name}" was not added: a message can carry ${MAX_FILES_PER_MESSAGE} files at most.`);
        else if (total + file.size > limits.maxMessageBytes)
          refuse(`"${file.name}" was not added: the files would add up to more than ${formatBytes(limits.maxMessageBytes)}, the most one message can carry.`);
        else {
          count += 1;
          total += file.size;
          added.push({ key, name: file.name, size: file.size, state: { status: "uploading", progress: 0 } });
          toUpload.push([key, file]);
        }
      }
      setFiles((existing) => [...existing, ...added]);
      for (const [key, file] of toUpload) upload(key, file);
    },
    [limits, upload],
  );

  const remove = useCallback(
    (key: string) => {
      const file = filesRef.current.find((candidate) => candidate.key === key);
      requests.current.get(key)?.abort();
      requests.current.delete(key);
      // Tidy up the server's pending copy; if this fails the sweep removes it within a day.
      if (file?.state.status === "done") void fetch(`${uploadUrl}?id=${encodeURIComponent(file.state.id)}`, { method: "DELETE" }).catch(() => {});
      setFiles((current) => current.filter((candidate) => candidate.key !== key));
    },
    [uploadUrl],
  );

  const clear = useCallback(() => setFiles([]), []);

  useEffect(() => {
    const pending = requests.current;
    return () => {
      for (const xhr of pending.values()) xhr.abort();
    };
  }, []);

  return {
    files,
    readyIds: files.flatMap((file) => (file.state.status === "done" ? [file.state.id] : [])),
    busy: files.some((file) => file.state.status === "uploading"),
    add,
    remove,
    clear,
    uploadUrl,
    limits,
  };
}

/** The drop zone, the file input and the list of files with their progress, errors and remove buttons. */
export function AttachmentPicker({ uploads, label = "Attach files" }: { uploads: AttachmentUploads; label?: string }) {
  const inputId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) uploads.add(event.dataTransfer.files);
  };

  return (
    <div className="flex min-w-0 flex-col gap-2">
      {/* The drop zone is a convenience; the labelled file input inside it is the accessible way in. */}
      <div
        data-testid="attachment-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`min-w-0 rounded-md border-2 border-dashed px-3 py-3 text-sm ${dragging ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-slate-50"}`}
      >
        <label htmlFor={inputId} className="font-medium">
          {label}
        </label>
        <input
          ref={input}
          id={inputId}
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          aria-describedby={hintId}
          onChange={(event) => {
            if (event.target.files?.length) uploads.add(event.target.files);
            // Picking the same file again after removing it must fire a change.
            event.target.value = "";
          }}
          className="mt-1 block w-full max-w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
        />
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          Or drag files here. {ACCEPTED_DESCRIPTION}; up to {formatBytes(uploads.limits.maxFileBytes)} each, {formatBytes(uploads.limits.maxMessageBytes)} and{" "}
          {MAX_FILES_PER_MESSAGE} files per message.
        </p>
      </div>
      {uploads.files.length > 0 ? (
        <ul aria-label="Attached files" className="flex flex-col gap-2">
          {uploads.files.map((file) => (
            <li key={file.key} className="min-w-0 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm">
              <div className="flex min-w-0 items-center justify-between gap-2">
                <span className="min-w-0 break-words [overflow-wrap:anywhere]">
                  <span className="font-medium">{file.name}</span> <span className="text-slate-500">({formatBytes(file.size)})</span>
                  {file.state.status === "done" ? <span className="text-emerald-700"> · Uploaded</span> : null}
                </span>
                <button
                  type="button"
                  onClick={() => {
                    uploads.remove(file.key);
                    input.current?.focus();
                  }}
                  aria-label={`Remove ${file.name}`}
                  className="shrink-0 rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
                >
                  Remove
                </button>
              </div>
              {file.state.status === "uploading" ? (
                <div
                  role="progressbar"
                  aria-label={`Uploading ${file.name}`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={file.state.progress}
                  className="mt-2 h-2 w-full overflow-hidden rounded bg-slate-200"
                >
                  <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${file.state.progress}%` }} />
                </div>
              ) : null}
              {file.state.status === "refused" ? (
                <p role="alert" className="mt-1 break-words text-sm text-red-700 [overflow-wrap:anywhere]">
                  {file.state.error}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export const WAIT_FOR_UPLOADS_MESSAGE = "Wait until the files have finished uploading, then send.";
