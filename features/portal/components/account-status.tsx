import "server-only";
import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/ui/alert";
import { Badge, type BadgeTone } from "@/ui/badge";
import { ButtonLink } from "@/ui/button";
import type { PortalAccess } from "@/features/portal/access";
import { maskPhone } from "@/platform/mask";
import { LocalTime } from "@/ui/local-time";

const day = (date: Date) => date.toISOString().slice(0, 10);
const link = "font-semibold text-brand-700 underline underline-offset-2 hover:text-brand-800";

/** The "verify your email" banner: unverified customers see it on every portal page. */
export function VerifyEmailBanner() {
  return (
    <Alert tone="warning" title="Verify your email address">
      <p className="mt-1">
        You can&apos;t open support tickets until you verify your address.{" "}
        <Link href="/verify/email" className={link}>
          Verify your email address
        </Link>
      </p>
    </Alert>
  );
}

function Row({ term, tone, value, children }: { term: string; tone: BadgeTone; value: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col gap-1 py-3 sm:flex-row sm:items-start sm:gap-4">
      <dt className="w-44 shrink-0 text-sm font-medium text-slate-600">{term}</dt>
      <dd className="flex flex-col items-start gap-1 text-sm text-slate-800">
        <Badge tone={tone}>{value}</Badge>
        {children ? <div className="text-slate-600">{children}</div> : null}
      </dd>
    </div>
  );
}

function agreementRow(access: PortalAccess) {
  const entitlement = access.entitlement;
  if (!access.customer || !entitlement) return <Row term="Support agreement" tone="neutral" value="Not known yet" />;
  const tier = entitlement.tier ? ` (${entitlement.tier})` : "";
  switch (entitlement.status) {
    case "valid":
      return (
        <Row term="Support agreement" tone="good" value={`Valid${tier}`}>
          {entitlement.endsOn ? `Until ${day(entitlement.endsOn)}.` : null}
        </Row>
      );
    case "expired":
      return (
        <Row term="Support agreement" tone="warn" value={`Expired${tier}`}>
          {entitlement.endsOn ? `Ended on ${day(entitlement.endsOn)}.` : null}
        </Row>
      );
    case "cancelled":
      return (
        <Row term="Support agreement" tone="warn" value={`Cancelled${tier}`}>
          {entitlement.cancelledAt ? (
            <>
              Cancelled on <LocalTime value={entitlement.cancelledAt} style="date" />.
            </>
          ) : null}
        </Row>
      );
    case "none":
      return <Row term="Support agreement" tone="neutral" value="None" />;
  }
}

const SUPPORT = {
  full: { tone: "good", value: "Full support", text: "Open tickets and use Downloads." },
  not_entitled: {
    tone: "warn",
    value: "Not entitled",
    text: "You can open tickets; they are marked as not covered by a support agreement and may be answered later.",
  },
  unverified: { tone: "bad", value: "No tickets yet", text: "Verify your email address to open tickets." },
} as const;

/** The account's proofs and entitlement, in plain words. */
export function AccountStatus({ access }: { access: PortalAccess }) {
  const support = SUPPORT[access.support];
  return (
    <section aria-labelledby="account-status" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="account-status" className="mb-1 text-lg font-semibold">
        Account status
      </h2>
      <dl className="divide-y divide-slate-100">
        <Row term="Email address" tone={access.emailVerified ? "good" : "bad"} value={access.emailVerified ? "Verified" : "Not verified"}>
          {access.emailVerified ? null : (
            <Link href="/verify/email" className={link}>
              Verify it now
            </Link>
          )}
        </Row>
        <Row
          term="Mobile number"
          tone={access.phone.verified ? "good" : "neutral"}
          value={access.phone.e164 ? (access.phone.verified ? "Verified" : "Not verified") : "None"}
        >
          {access.phone.e164 ? <span className="mr-2">{maskPhone(access.phone.e164)}</span> : null}
          {access.phone.verified ? null : (
            <Link href="/account/phone" className={link}>
              {access.phone.e164 ? "Verify it by text message" : "Add a mobile number"}
            </Link>
          )}
        </Row>
        <Row
          term="Customer record"
          tone={access.customer ? "good" : access.emailVerified ? "warn" : "neutral"}
          value={
            access.customer
              ? `${access.customer.organisationName ?? access.customer.name} (${access.customer.accountNumber})`
              : access.emailVerified
                ? "Awaiting match"
                : "Not linked yet"
          }
        >
          {access.customer
            ? null
            : access.emailVerified
              ? "Your address matched none of our customer records, so our team will link your account by hand. This page shows it as soon as they have."
              : "We link your account to your company's record once your email address is verified."}
        </Row>
        {agreementRow(access)}
        <Row term="Support" tone={support.tone} value={support.value}>
          {support.text}
        </Row>
      </dl>
    </section>
  );
}

/** The Downloads entry on the portal: a link when entitled, otherwise the reason. */
export function DownloadsCard({ access }: { access: PortalAccess }) {
  return (
    <section aria-labelledby="downloads" className="self-start rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="downloads" className="mb-2 text-lg font-semibold">
        Downloads
      </h2>
      {access.downloads.allowed ? (
        <div className="flex flex-col items-start gap-3">
          <p className="text-sm text-slate-600">Software, firmware and guides for customers with a valid support agreement.</p>
          <ButtonLink href="/portal/downloads" variant="secondary">
            Open Downloads
          </ButtonLink>
        </div>
      ) : (
        <p className="text-sm text-slate-600">{access.downloads.reason}</p>
      )}
    </section>
  );
}
