import "server-only";
import type { Metadata } from "next";
import { UnlockList } from "@/features/verification/components/unlock-list";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { formatInstant } from "@/platform/time-zone";
import { listFrozenAccounts } from "@/features/accounts/freeze/account-freeze";
import { CODE_LOCK_THRESHOLD, listCodeLockedAccounts } from "@/features/verification/code-locks";

export const metadata: Metadata = { title: "Staff unlocks" };

const ROLE_LABEL = { customer: "Customer", agent: "Agent", supervisor: "Supervisor", admin: "Administrator" } as const;

/** Accounts locked for codes or frozen by "this wasn't me", and lifting either with a written reason. */
export default async function UnlocksPage() {
  await requirePageActor("supervisor");
  const zone = await viewerTimeZone();
  const [locked, frozen] = await Promise.all([listCodeLockedAccounts(), listFrozenAccounts()]);
  return (
    <>
      <PageHeader
        title="Staff unlocks"
        description="Accounts that only a supervisor can release. Check with the person first, by a channel already on file; every unlock is recorded with your reason."
      />
      <section aria-labelledby="unlocks-code" className="mb-8">
        <h2 id="unlocks-code" className="text-lg font-semibold text-slate-900">
          Code verification locked
        </h2>
        <p className="mb-3 mt-1 text-sm text-slate-600">
          After {CODE_LOCK_THRESHOLD} wrong one-time codes in a row an account can no longer be sent or use codes (sign-in codes, password reset, caller
          checks). So many wrong codes usually means someone was guessing.
        </p>
        <UnlockList
          kind="code"
          accounts={locked.map((account) => ({
            id: account.id,
            name: account.name,
            email: account.email,
            detail: `${ROLE_LABEL[account.role]}${account.accountNumber ? ` · ${account.accountNumber}` : ""} · locked ${formatInstant(account.lockedAt, zone)} after ${account.failureCount} wrong codes in a row`,
          }))}
        />
      </section>
      <section aria-labelledby="unlocks-frozen">
        <h2 id="unlocks-frozen" className="text-lg font-semibold text-slate-900">
          Frozen accounts (“this wasn&apos;t me”)
        </h2>
        <p className="mb-3 mt-1 text-sm text-slate-600">
          The owner reported a change of email address or mobile number they did not make: nobody can sign in until the review is done. The urgent ticket opened
          with the freeze says what was put back.
        </p>
        <UnlockList
          kind="frozen"
          accounts={frozen.map((account) => ({
            id: account.id,
            name: account.name,
            email: account.email,
            detail: `${ROLE_LABEL[account.role]}${account.accountNumber ? ` · ${account.accountNumber}` : ""} · frozen ${formatInstant(account.frozenAt, zone)}`,
          }))}
        />
      </section>
    </>
  );
}
