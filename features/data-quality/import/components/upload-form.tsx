"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/ui/button";

const MAX_MB = 50;

/** Picks a CSV and sends it as the request body (POST /api/data-quality/imports); then opens the import. */
export function ImportUploadForm() {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    const file = input.current?.files?.[0];
    if (!file) {
      setError("Choose a CSV file first.");
      input.current?.focus();
      return;
    }
    if (file.size > MAX_MB * 1024 * 1024) {
      setError(`The file is larger than ${MAX_MB} MB, the most an import can be. Split it into smaller files.`);
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const response = await fetch("/api/data-quality/imports", {
        method: "POST",
        headers: { "Content-Type": "text/csv", "X-File-Name": encodeURIComponent(file.name) },
        body: file,
      });
      const answer = (await response.json().catch(() => ({}))) as { importId?: string; error?: string };
      if (!response.ok || !answer.importId) {
        setError(answer.error ?? "The file could not be uploaded. Try again.");
        setBusy(false);
        input.current?.focus();
        return;
      }
      router.push(`/supervisor/data-quality/import/${answer.importId}`);
    } catch {
      setError("The file could not be uploaded: the connection failed. Try again.");
      setBusy(false);
    }
  }

  return (
    <form onSubmit={upload} className="space-y-3" noValidate>
      <div className="flex flex-col gap-1">
        <label htmlFor="import-file" className="field-label">
          CSV file
        </label>
        <p id="import-file-hint" className="text-xs text-slate-600">
          As Excel or your CRM exports it: UTF-8 or Windows encoding, comma, semicolon or tab separated, a header line naming the columns. At most {MAX_MB} MB.
        </p>
        <input
          ref={input}
          id="import-file"
          name="file"
          type="file"
          accept=".csv,.txt,text/csv"
          aria-describedby={error ? "import-file-hint import-file-error" : "import-file-hint"}
          aria-invalid={error ? true : undefined}
          className="block w-full max-w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-2 file:text-sm file:font-semibold"
        />
        {error ? (
          <p id="import-file-error" role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={busy}>
        {busy ? "Uploading…" : "Upload and map columns"}
      </Button>
    </form>
  );
}
