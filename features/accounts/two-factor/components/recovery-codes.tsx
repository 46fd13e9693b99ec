"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/ui/button";

/**
 * Recovery codes, shown once right after they are made: the server keeps only their hashes. The
 * heading takes focus so screen-reader users land on them; "Done" needs the saved box ticked.
 */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const text = `Veridesk recovery codes (each works once)\n\n${codes.join("\n")}\n`;

  return (
    <div className="flex flex-col gap-4 rounded-lg border border-amber-300 bg-amber-50 p-4">
      <h3 ref={heading} tabIndex={-1} className="text-base font-semibold text-amber-950 outline-none">
        Save your recovery codes
      </h3>
      <p className="text-sm text-amber-950">
        If you lose your phone or cannot get a code, each of these codes lets you sign in once. Keep them somewhere safe, such as a password manager. This is
        the only time we show them.
      </p>
      <ol aria-label="Recovery codes" className="grid grid-cols-1 gap-2 font-mono text-base sm:grid-cols-2">
        {codes.map((code) => (
          <li key={code} className="rounded bg-white px-3 py-2 text-center tracking-wider text-slate-900 ring-1 ring-amber-200">
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(text);
              setCopied("Recovery codes copied.");
            } catch {
              setCopied("Copying is not allowed here: select the codes and copy them, or download them.");
            }
          }}
        >
          Copy the codes
        </Button>
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="veridesk-recovery-codes.txt"
          className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
        >
          Download as a text file
        </a>
      </div>
      <p role="status" className="text-sm text-amber-950">
        {copied}
      </p>
      <label className="flex items-center gap-2 text-sm font-medium text-slate-900">
        <input type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} className="h-4 w-4" />I have saved my recovery codes
      </label>
      <div>
        <Button onClick={onDone} disabled={!saved}>
          Done
        </Button>
      </div>
    </div>
  );
}
