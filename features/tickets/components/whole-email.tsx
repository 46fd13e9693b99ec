/**
 * The whole email behind a message whose quoted conversation was cut off (features/tickets/inbound/quoted-reply.ts):
 * a stripper that cut too much must never hide the customer's words, so the agent can always open it.
 * A native <details>, so it opens with the keyboard and announces its state without script.
 */
export function WholeEmail({ text }: { text: string }) {
  return (
    <details className="mt-2 text-xs text-slate-600">
      <summary className="cursor-pointer rounded font-medium text-brand-700 underline hover:no-underline outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2">
        Show quoted text
      </summary>
      <p className="mt-2 whitespace-pre-wrap border-l-2 border-slate-200 pl-3 text-slate-700 [overflow-wrap:anywhere]">{text}</p>
    </details>
  );
}
