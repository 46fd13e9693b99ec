import "server-only";
import { Badge, type BadgeTone } from "@/ui/badge";
import type { IdentityPanel as PanelData } from "@/features/identity/ticket-identity-panel";
import { IDENTITY_BADGE_LABEL, type IdentityBadge } from "@/features/identity/ticket-identity";
import { ticketReference } from "@/features/tickets/labels";
import { LocalTime } from "@/ui/local-time";
import { lookAlikeHeadline } from "@/features/identity/look-alike-senders";
import { reasonLabel } from "@/features/data-quality/reasons";

const VALIDITY_TONE = { valid: "good", doubtful: "warn", invalid: "bad" } as const satisfies Record<string, BadgeTone>;

export const BADGE_TONE: Record<IdentityBadge, BadgeTone> = {
  verified: "good",
  partially_verified: "info",
  unverified: "warn",
  mismatch: "bad",
  bouncing: "bad",
};

const STANDING_TEXT = {
  primary: "the customer's primary address",
  alias: "an alias on the customer's record",
  other_customer: "an address belonging to a DIFFERENT customer",
  unknown: "an address on no customer record",
  none: "no address",
} as const;

const METHOD_TEXT: Record<string, string> = {
  caller_fields: "caller details",
  email_code: "email code",
  sms_code: "phone code",
  supervisor_override: "supervisor override",
};

function Fact({ ok, children }: { ok: boolean | null; children: React.ReactNode }) {
  return (
    <li className="flex items-start gap-2">
      <span aria-hidden="true" className={ok === null ? "text-slate-400" : ok ? "text-emerald-700" : "text-red-700"}>
        {ok === null ? "•" : ok ? "✓" : "✗"}
      </span>
      <span>{children}</span>
    </li>
  );
}

export function IdentityPanel({ panel }: { panel: PanelData }) {
  return (
    <section aria-labelledby="identity-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 id="identity-heading" className="text-base font-semibold">
          Who is this?
        </h2>
        {panel.badge === "verified" && panel.currentCheck?.outcome === "overridden" ? (
          <Badge tone="warn">Verified manually</Badge>
        ) : (
          <Badge tone={BADGE_TONE[panel.badge]}>{IDENTITY_BADGE_LABEL[panel.badge]}</Badge>
        )}
      </div>
      <p className="mb-4 text-sm text-slate-700">{panel.explanation}</p>
      {panel.currentCheck?.outcome === "overridden" ? (
        <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="identity-override">
          <strong>Verified manually by {panel.currentCheck.by ?? "a supervisor"} (supervisor override)</strong>: {panel.currentCheck.reason}
          <span className="block text-xs">
            <LocalTime value={panel.currentCheck.at} />; counts for this conversation until <LocalTime value={panel.currentCheck.expiresAt} />.
          </span>
        </p>
      ) : null}

      {panel.lookAlike || panel.displayNameAddress ? (
        <div className="mb-4 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="identity-look-alike">
          {panel.lookAlike ? (
            <p>
              <strong>
                <span aria-hidden="true">⚠ </span>
                {lookAlikeHeadline(panel.lookAlike)}
              </strong>
              <span className="block break-words">
                The sender's domain <span className="font-mono">{panel.lookAlike.domain}</span> is not that domain: {panel.lookAlike.description}. Treat it as a
                stranger imitating that customer.
              </span>
            </p>
          ) : null}
          {panel.displayNameAddress ? (
            <p className={panel.lookAlike ? "mt-2" : undefined}>
              <strong>
                <span aria-hidden="true">⚠ </span>
                Display name contains <span className="break-all font-mono">{panel.displayNameAddress}</span>
              </strong>
              <span className="block">Mail programs show the name: the email did not come from that address.</span>
            </p>
          ) : null}
        </div>
      ) : null}

      {panel.recentRisk.length > 0 ? (
        <div className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="identity-recent-risk">
          <p>
            <strong>
              <span aria-hidden="true">⚠ </span>Recent security events on the account
            </strong>
          </p>
          <ul className="mt-1 list-disc pl-5">
            {panel.recentRisk.map((event) => (
              <li key={`${event.action}-${event.at.toISOString()}`}>
                <time dateTime={event.at.toISOString()}>{event.words[0]!.toUpperCase() + event.words.slice(1)}</time>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs">Until you check the requester's identity on this conversation, treat them as at most partially verified.</p>
        </div>
      ) : null}

      {panel.pendingChanges.length > 0 ? (
        <div className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="identity-pending-changes">
          <p>
            <strong>Waiting for the owner's answer by text</strong>
          </p>
          <ul className="mt-1 list-disc pl-5">
            {panel.pendingChanges.map((change) => (
              <li key={change.id}>
                {change.words[0]!.toUpperCase() + change.words.slice(1)}, {change.byStaff ? "made and texted to the owner" : "asked"}{" "}
                <LocalTime value={change.createdAt} />
                {change.textActive ? "" : change.textSent ? " (the text's code has expired)" : " (the owner could not be texted yet)"}
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs">
            A change the customer asked for is made only when their verified mobile replies with the code: do not make it for them by hand. A staff action
            stands unless the owner replies NO.
          </p>
        </div>
      ) : null}

      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Request came from</h3>
      <p className="mb-4 text-sm">
        <span className="font-mono">{panel.requesterAddress ?? "—"}</span>
        <br />
        {panel.numberOnRecord !== null ? (
          <span className="text-slate-600">
            {panel.numberOnRecord
              ? "That number is on the customer's record, but a caller's number can be faked: verify the caller."
              : "That number is on no customer record: verify the caller."}
          </span>
        ) : (
          <span className={panel.addressStanding === "other_customer" ? "font-semibold text-red-700" : "text-slate-600"}>
            That is {STANDING_TEXT[panel.addressStanding]}
            {panel.addressDeliverability && panel.addressDeliverability !== "unknown" ? `, ${panel.addressDeliverability}` : ""}.
          </span>
        )}
      </p>
      {panel.contactValidation ? (
        <p className="-mt-3 mb-4 text-sm text-slate-700" data-testid="identity-contact-validation">
          {panel.contactValidation.channel === "email" ? "Email" : "Phone"}:{" "}
          <Badge tone={VALIDITY_TONE[panel.contactValidation.validity]}>{panel.contactValidation.validity}</Badge>
          {panel.contactValidation.reasons.length > 0 ? ` — ${panel.contactValidation.reasons.map(reasonLabel).join("; ")}` : ""} · checked{" "}
          <LocalTime value={panel.contactValidation.validatedAt} ageAt={panel.contactValidation.asOf} />
        </p>
      ) : null}

      {panel.account ? (
        <>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Portal account</h3>
          <ul className="mb-4 space-y-1 text-sm">
            <Fact ok={panel.account.emailVerified}>Email {panel.account.emailVerified ? "verified" : "not verified"}</Fact>
            <Fact ok={panel.account.phoneVerified}>
              Mobile {panel.account.phoneVerified ? "verified" : panel.account.phoneE164 ? "not verified" : "not given"}
            </Fact>
            <Fact ok={panel.account.twoFactor}>Two-factor sign-in {panel.account.twoFactor ? "on" : "off"}</Fact>
          </ul>
        </>
      ) : null}

      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Customer</h3>
      {panel.customer ? (
        <div className="mb-4 text-sm">
          <p className="font-medium">
            {panel.customer.name}
            {panel.customer.organisationName ? ` · ${panel.customer.organisationName}` : ""}{" "}
            <span className="font-mono text-xs text-slate-500">{panel.customer.accountNumber}</span>
          </p>
          <ul className="mt-2 space-y-1" aria-label="Email addresses on record">
            {panel.customer.emails.map((email) => (
              <li key={email.address} className="flex flex-wrap items-center gap-1">
                <span className="font-mono text-xs">{email.address}</span>
                <Badge tone="neutral">{email.isPrimary ? "primary" : "alias"}</Badge>
                {email.verified ? <Badge tone="good">verified</Badge> : null}
                {email.deliverability === "bouncing" || email.deliverability === "complained" ? (
                  <Badge tone="bad">
                    {email.deliverability} ({email.bounceCount})
                  </Badge>
                ) : null}
              </li>
            ))}
          </ul>
          {panel.customer.phones.length > 0 ? (
            <ul className="mt-2 space-y-1" aria-label="Phone numbers on record">
              {panel.customer.phones.map((phone) => (
                <li key={phone.e164} className="flex items-center gap-1">
                  <span className="font-mono text-xs">{phone.e164}</span>
                  <Badge tone="neutral">{phone.kind}</Badge>
                  {phone.verified ? <Badge tone="good">verified</Badge> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        <p className="mb-4 text-sm text-slate-600">Not matched to a customer record.</p>
      )}

      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Agreement</h3>
      <p className="mb-4 text-sm">
        {!panel.entitlement || panel.entitlement.status === "none" ? (
          <Badge tone="warn">No support agreement: not entitled</Badge>
        ) : panel.entitlement.status === "valid" ? (
          <Badge tone="good">
            {panel.entitlement.tier} · valid until {panel.entitlement.endsOn?.toISOString().slice(0, 10)}
          </Badge>
        ) : (
          <Badge tone="bad">
            {panel.entitlement.tier} · {panel.entitlement.status}
            {panel.entitlement.endsOn ? ` (ended ${panel.entitlement.endsOn.toISOString().slice(0, 10)})` : ""}
          </Badge>
        )}
      </p>

      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Recent identity checks</h3>
      {panel.recentChecks.length === 0 ? (
        <p className="text-sm text-slate-600">None yet.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {panel.recentChecks.map((check) => (
            <li key={check.id}>
              <Badge tone={check.outcome === "failed" ? "bad" : check.outcome === "overridden" ? "warn" : check.outcome === "passed" ? "good" : "neutral"}>
                {check.outcome === "overridden" ? "verified manually" : check.outcome}
              </Badge>{" "}
              by {METHOD_TEXT[check.method] ?? check.method} <LocalTime value={check.at} />
              {check.by ? ` by ${check.by}` : ""}
              {check.ticketNumber ? ` on ${ticketReference(check.ticketNumber)}` : ""}
              {check.current ? " (counts for this conversation)" : ""}
              {check.reason ? <span className="block text-xs text-slate-600">Reason: {check.reason}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
