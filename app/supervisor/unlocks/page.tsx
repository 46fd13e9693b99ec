import type { Metadata } from "next";
import { UnlockList } from "@/components/supervisor/unlock-list";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guard";
import { CODE_LOCK_THRESHOLD, listCodeLockedAccounts } from "@/lib/identity/code-locks";

export const metadata: Metadata = { title: "Staff unlocks" };

const ROLE_LABEL = { customer: "Customer", agent: "Agent", supervisor: "Supervisor", admin: "Administrator" } as const;

/** Accounts whose one-time-code verification is locked, and unlocking them with a written reason. */
export default async function UnlocksPage() {
  await requirePageActor("supervisor");
  const accounts = await listCodeLockedAccounts();
  return (
    <>
      <PageHeader
        title="Staff unlocks"
        description={`After ${CODE_LOCK_THRESHOLD} wrong one-time codes in a row an account can no longer be sent or use codes (sign-in codes, password reset, caller checks) until a supervisor unlocks it. Check with the person first, by a channel on file: so many wrong codes usually means someone was guessing.`}
      />
      <UnlockList
        accounts={accounts.map((account) => ({
          id: account.id,
          name: account.name,
          email: account.email,
          roleLabel: ROLE_LABEL[account.role],
          lockedAt: account.lockedAt.toISOString().slice(0, 16).replace("T", " "),
          failureCount: account.failureCount,
          accountNumber: account.accountNumber,
        }))}
      />
    </>
  );
}
