"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useId, useState, useTransition } from "react";
import type { ActionResult } from "@/platform/auth/guard";
import {
  applySafeFixesAction,
  decideSuggestionAction,
  decideSuggestionsAction,
  proposeCleansingAction,
  undoSafeFixesAction,
} from "@/features/data-quality/cleansing/actions";
import { MERGE_KINDS, SUGGESTION_KIND_LABELS } from "@/features/data-quality/cleansing/schemas";
import type { SuggestionRow } from "@/features/data-quality/cleansing/suggestions";
import { Alert } from "@/ui/alert";
import { Button, type ButtonVariant } from "@/ui/button";

type Outcome = { tone: "success" | "error"; text: string } | null;

/** Runs one action, announces its outcome, and refreshes the page's data on success. */
function useRun() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run = (work: () => Promise<ActionResult<{ message: string; ok?: boolean; mergeUrl?: string }>>) =>
    startTransition(async () => {
      setOutcome(null);
      const result = await work();
      if (!result.ok) return setOutcome({ tone: "error", text: result.error });
      if (result.data.ok === false) return setOutcome({ tone: "error", text: result.data.message });
      if (result.data.mergeUrl) return router.push(result.data.mergeUrl);
      setOutcome({ tone: "success", text: result.data.message });
      router.refresh();
    });
  return { pending, outcome, run };
}

function Outcome({ outcome }: { outcome: Outcome }) {
  return outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null;
}

function RunButton({
  label,
  busy,
  variant = "primary",
  ariaLabel,
  disabled,
  work,
}: {
  label: string;
  busy: string;
  variant?: ButtonVariant;
  ariaLabel?: string;
  disabled?: boolean;
  work: () => Promise<ActionResult<{ message: string }>>;
}) {
  const { pending, outcome, run } = useRun();
  return (
    <div className="flex flex-col gap-2">
      <div>
        <Button variant={variant} disabled={pending || disabled} aria-label={ariaLabel} onClick={() => run(work)}>
          {pending ? busy : label}
        </Button>
      </div>
      <Outcome outcome={outcome} />
    </div>
  );
}

export function ApplySafeFixesButton({ nothingToDo }: { nothingToDo: boolean }) {
  return <RunButton label="Apply safe fixes" busy="Applying…" disabled={nothingToDo} work={() => applySafeFixesAction({})} />;
}

export type SafeFixHistoryItem = { id: string; summary: string; when: ReactNode; undone: ReactNode | null };

/** The recent safe-fix sets, each undoable until undone; the outcome stays shown above the list after the page refreshes. */
export function SafeFixHistory({ items }: { items: SafeFixHistoryItem[] }) {
  const { pending, outcome, run } = useRun();
  return (
    <div className="mt-5 flex flex-col gap-2">
      <h3 className="text-sm font-semibold text-slate-800">Recent safe fixes</h3>
      <Outcome outcome={outcome} />
      <ul className="flex flex-col gap-3" aria-label="Recent safe fixes">
        {items.map((item) => (
          <li key={item.id} className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 text-sm">
            <p className="break-words text-slate-800">
              {item.summary} · {item.when}
            </p>
            {item.undone ?? (
              <div>
                <Button
                  variant="secondary"
                  disabled={pending}
                  aria-label={`Undo these fixes: ${item.summary}`}
                  onClick={() => run(() => undoSafeFixesAction({ changeSetId: item.id }))}
                >
                  Undo these fixes
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function LookForSuggestionsButton() {
  return <RunButton label="Look for suggestions" busy="Looking…" variant="secondary" work={() => proposeCleansingAction({})} />;
}

/** A suggestion as the list shows it (the service's row; a type-only import, erased from the client bundle). */
export type SuggestionItem = Omit<SuggestionRow, "createdAt">;

function Change({ item }: { item: SuggestionItem }) {
  if (item.kind === "email_typo") {
    return (
      <p className="break-words text-sm text-slate-800">
        <span className="line-through decoration-red-500">{item.currentValue}</span> → <span className="font-medium">{item.proposedValue}</span>
        {item.verified ? (
          <span className="mt-1 block text-amber-800">Verified: accepting corrects it and makes it unverified until the customer confirms again.</span>
        ) : null}
      </p>
    );
  }
  if (item.kind === "phone_landline_as_mobile") {
    return <p className="break-words text-sm text-slate-800">{item.currentValue}: recorded as a mobile, looks like a landline → make it a landline</p>;
  }
  return (
    <p className="break-words text-sm text-slate-800">
      {item.kind === "duplicate_phone" ? "Shares a phone number with " : "Same name and organisation as "}
      {item.other ? (
        <Link className="text-brand-700 underline" href={`/console/customers/${item.other.id}`}>
          {item.other.name} ({item.other.accountNumber})
        </Link>
      ) : (
        "another customer"
      )}
    </p>
  );
}

type Runner = ReturnType<typeof useRun>["run"];

function SuggestionRow({
  item,
  selected,
  onSelect,
  pending,
  run,
}: {
  item: SuggestionItem;
  selected: boolean;
  onSelect: (on: boolean) => void;
  pending: boolean;
  run: Runner;
}) {
  const checkboxId = useId();
  const isMerge = MERGE_KINDS.includes(item.kind);
  const who = `${item.customer.name} (${item.customer.accountNumber})`;
  return (
    <li className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 sm:flex-row sm:items-start sm:gap-3" data-testid="suggestion">
      <div className="flex items-start gap-3 sm:flex-1">
        <input
          id={checkboxId}
          type="checkbox"
          className="mt-1 h-4 w-4 shrink-0"
          checked={selected}
          onChange={(event) => onSelect(event.target.checked)}
          aria-label={`Select: ${SUGGESTION_KIND_LABELS[item.kind]} for ${who}`}
        />
        <div className="min-w-0 flex-1">
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{SUGGESTION_KIND_LABELS[item.kind]}</p>
          <p className="text-sm">
            <Link className="font-medium text-brand-700 underline" href={`/console/customers/${item.customer.id}`}>
              {who}
            </Link>
          </p>
          <Change item={item} />
        </div>
      </div>
      <div className="flex flex-wrap gap-2">
        {isMerge && item.other ? (
          <Link
            className="inline-flex items-center rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700"
            href={`/console/customers/${item.customer.id}/merge?with=${item.other.id}`}
          >
            Open merge preview
          </Link>
        ) : (
          <Button
            disabled={pending}
            aria-label={`Accept: ${SUGGESTION_KIND_LABELS[item.kind]} for ${who}`}
            onClick={() => run(() => decideSuggestionAction({ suggestionId: item.id, decision: "accept" }))}
          >
            Accept
          </Button>
        )}
        <Button
          variant="secondary"
          disabled={pending}
          aria-label={`Reject: ${SUGGESTION_KIND_LABELS[item.kind]} for ${who}`}
          onClick={() => run(() => decideSuggestionAction({ suggestionId: item.id, decision: "reject" }))}
        >
          Reject
        </Button>
      </div>
    </li>
  );
}

/** One page of open suggestions: decide each, or select several (or the whole page) and decide them together. */
export function SuggestionList({ items }: { items: SuggestionItem[] }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const { pending, outcome, run } = useRun();
  const present = items.filter((item) => selected.has(item.id));
  const allOnPage = items.length > 0 && present.length === items.length;
  const decide = (decision: "accept" | "reject") =>
    run(async () => {
      const result = await decideSuggestionsAction({ decision, suggestionIds: present.map((item) => item.id) });
      if (result.ok) setSelected(new Set());
      return result.ok
        ? { ok: true as const, data: { message: result.data.message, ok: result.data.refused.length === 0 || result.data.decided > 0 } }
        : result;
    });
  // The outcome of the last decision stays in view even when it emptied the list.
  if (items.length === 0)
    return (
      <div className="flex flex-col gap-3">
        <Outcome outcome={outcome} />
        <p className="text-sm text-slate-600">No open suggestions here.</p>
      </div>
    );
  return (
    <div className="flex flex-col gap-3">
      <fieldset className="flex flex-wrap items-center gap-3 rounded-lg bg-slate-50 p-3">
        <legend className="sr-only">Decide several at once</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="h-4 w-4"
            checked={allOnPage}
            onChange={(event) => setSelected(event.target.checked ? new Set(items.map((item) => item.id)) : new Set())}
          />
          Select all on this page
        </label>
        <span className="text-sm text-slate-600" aria-live="polite">
          {present.length} selected
        </span>
        <Button disabled={pending || present.length === 0} onClick={() => decide("accept")}>
          Accept selected
        </Button>
        <Button variant="secondary" disabled={pending || present.length === 0} onClick={() => decide("reject")}>
          Reject selected
        </Button>
      </fieldset>
      <Outcome outcome={outcome} />
      <ul className="flex flex-col gap-2" aria-label="Open suggestions">
        {items.map((item) => (
          <SuggestionRow
            key={item.id}
            item={item}
            selected={selected.has(item.id)}
            pending={pending}
            run={run}
            onSelect={(on) =>
              setSelected((current) => {
                const next = new Set(current);
                if (on) next.add(item.id);
                else next.delete(item.id);
                return next;
              })
            }
          />
        ))}
      </ul>
    </div>
  );
}
