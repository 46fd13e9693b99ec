"use client";

import { useState } from "react";
import { voteOnArticleAction } from "@/features/help-centre/actions";
import { Button } from "@/ui/button";

/** "Was this helpful?" under a public article: one vote per visitor, which they may change. The outcome is announced. */
export function HelpfulVote({ articleId }: { articleId: string }) {
  const [state, setState] = useState<{ pending: boolean; message: string | null; error: boolean }>({ pending: false, message: null, error: false });

  async function vote(helpful: boolean) {
    setState({ pending: true, message: null, error: false });
    const result = await voteOnArticleAction({ articleId, helpful });
    setState(
      result.ok
        ? { pending: false, error: false, message: helpful ? "Thanks: glad it helped." : "Thanks for telling us. We will improve this article." }
        : { pending: false, error: true, message: result.error },
    );
  }

  return (
    <section aria-labelledby="helpful-heading" className="mt-8 flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4">
      <h2 id="helpful-heading" className="font-semibold">
        Was this article helpful?
      </h2>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" disabled={state.pending} onClick={() => vote(true)}>
          Yes, it helped
        </Button>
        <Button variant="secondary" disabled={state.pending} onClick={() => vote(false)}>
          No
        </Button>
      </div>
      <p role={state.error ? "alert" : "status"} className={state.error ? "text-sm text-red-700" : "text-sm text-slate-700"}>
        {state.message ?? ""}
      </p>
    </section>
  );
}
