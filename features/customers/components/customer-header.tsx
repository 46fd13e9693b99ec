import "server-only";
import Link from "next/link";
import type { CustomerHeader } from "@/features/customers/customer-profile";
import { Alert } from "@/ui/alert";
import { ButtonLink } from "@/ui/button";
import { PageHeader } from "@/ui/page-header";

/** Name, account number and organisation (linked to its page); says so when a merge absorbed this record, or it was erased. */
export function CustomerHeaderSection({ header }: { header: CustomerHeader }) {
  const title = header.name ?? "Erased customer";
  const active = !header.mergedInto && !header.erasedAt;
  return (
    <>
      <p className="mb-3 text-sm">
        <Link href="/console/customers" className="font-medium text-brand-700 hover:underline">
          ← Back to customers
        </Link>
      </p>
      <PageHeader
        title={title}
        description={
          <>
            <span className="font-mono text-xs">{header.accountNumber}</span>
            {header.organisation ? (
              <>
                {" · "}
                <Link href={`/console/organisations/${header.organisation.id}`} className="font-medium text-brand-700 hover:underline">
                  {header.organisation.name}
                </Link>
              </>
            ) : (
              " · no organisation"
            )}
            {header.maskedPrimaryEmail ? <span className="font-mono text-xs"> · {header.maskedPrimaryEmail}</span> : null}
          </>
        }
        actions={
          active ? (
            <ButtonLink href={`/console/customers/${header.id}/new-ticket`} variant="secondary" aria-label={`Start phone ticket for ${title}`}>
              Start phone ticket
            </ButtonLink>
          ) : undefined
        }
      />
      {header.mergedInto ? (
        <div className="mb-6">
          <Alert tone="warning" title="Merged into another customer">
            This record was merged into{" "}
            <Link href={`/console/customers/${header.mergedInto.id}`} className="font-medium underline">
              {header.mergedInto.name ?? "Erased customer"} ({header.mergedInto.accountNumber})
            </Link>
            . Work on that record: this one is kept only so the merge can be undone.
          </Alert>
        </div>
      ) : null}
      {header.erasedAt ? (
        <div className="mb-6">
          <Alert tone="info" title="Erased customer">
            This customer's personal data was erased; only the record's history remains.
          </Alert>
        </div>
      ) : null}
    </>
  );
}
