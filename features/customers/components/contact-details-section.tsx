import "server-only";
import { type CustomerContacts, customerContacts } from "@/features/customers/customer-profile";
import type { Deliverability, PhoneKind } from "@/platform/db/generated/prisma/enums";
import { Badge, type BadgeTone } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";
import { Panel } from "@/ui/panel";

export const DELIVERABILITY: Record<Deliverability, { label: string; tone: BadgeTone }> = {
  unknown: { label: "Delivery not known yet", tone: "neutral" },
  delivering: { label: "Delivering", tone: "good" },
  bouncing: { label: "Bouncing", tone: "bad" },
  complained: { label: "Marked as spam", tone: "bad" },
};
const PHONE_KIND: Record<PhoneKind, string> = { mobile: "Mobile", fixed: "Landline", other: "Other" };

function Verified({ at }: { at: Date | null }) {
  return at ? (
    <span className="inline-flex items-center gap-1">
      <Badge tone="good">Verified</Badge>
      <span className="text-xs text-slate-600">
        <LocalTime value={at} style="date" />
      </span>
    </span>
  ) : (
    <Badge tone="warn">Not verified</Badge>
  );
}

/**
 * The customer's addresses and numbers, read-only, masked (whoever looks at the screen may be on
 * a call with an impostor): which exist, which is primary, verified or not, and whether messages
 * reach them. Self-contained: give it the customer's id (it loads its own data) or the data.
 */
export async function ContactDetailsSection({ customerId, contacts }: { customerId: string; contacts?: CustomerContacts }) {
  const { emails, phones } = contacts ?? (await customerContacts(customerId));
  return (
    <Panel id="contact-details-heading" title="Contact details" description="Shown masked. Verified means the customer proved they receive messages there.">
      <div className="grid gap-6 md:grid-cols-2">
        <div>
          <h3 className="text-sm font-semibold text-slate-800">Email addresses</h3>
          {emails.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">No email address on record.</p>
          ) : (
            <ul aria-label="Email addresses" className="mt-2 flex flex-col divide-y divide-slate-100">
              {emails.map((email) => (
                <li key={email.id} className="flex flex-col gap-1 py-2 text-sm">
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-slate-900 [overflow-wrap:anywhere]">{email.masked}</span>
                    <Badge tone={email.isPrimary ? "info" : "neutral"}>{email.isPrimary ? "Primary" : "Alias"}</Badge>
                  </span>
                  <span className="flex flex-wrap items-center gap-2">
                    <Verified at={email.verifiedAt} />
                    <Badge tone={DELIVERABILITY[email.deliverability].tone}>{DELIVERABILITY[email.deliverability].label}</Badge>
                    {email.bounceCount > 0 ? (
                      <span className="text-xs text-slate-600">
                        {email.bounceCount === 1 ? "1 bounce" : `${email.bounceCount} bounces`}
                        {email.lastBouncedAt ? (
                          <>
                            , last <LocalTime value={email.lastBouncedAt} />
                          </>
                        ) : null}
                      </span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="text-sm font-semibold text-slate-800">Phone numbers</h3>
          {phones.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">No phone number on record.</p>
          ) : (
            <ul aria-label="Phone numbers" className="mt-2 flex flex-col divide-y divide-slate-100">
              {phones.map((phone) => (
                <li key={phone.id} className="flex flex-col gap-1 py-2 text-sm">
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-slate-900">{phone.masked}</span>
                    <Badge>{PHONE_KIND[phone.kind]}</Badge>
                  </span>
                  <span className="flex flex-wrap items-center gap-2">
                    <Verified at={phone.verifiedAt} />
                    <Badge tone={DELIVERABILITY[phone.deliverability].tone}>{DELIVERABILITY[phone.deliverability].label}</Badge>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Panel>
  );
}
