import "server-only";
import { customerPortalAccounts } from "@/features/customers/customer-profile";
import type { TwoFactorMethod } from "@/platform/db/generated/prisma/enums";
import { Badge } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";
import { Panel } from "@/ui/panel";

const TWO_FACTOR: Record<TwoFactorMethod, string> = { totp: "Authenticator app", email: "Email code", sms: "SMS code" };

/** The customer's portal sign-in accounts and how well each is secured (masked). */
export async function PortalAccountsSection({ customerId }: { customerId: string }) {
  const accounts = await customerPortalAccounts(customerId);
  return (
    <Panel id="portal-accounts-heading" title="Portal accounts">
      {accounts.length === 0 ? (
        <p className="text-sm text-slate-600">No portal account is linked to this customer.</p>
      ) : (
        <ul aria-label="Portal accounts" className="flex flex-col divide-y divide-slate-100">
          {accounts.map((account) => (
            <li key={account.id} className="flex flex-col gap-1 py-2 text-sm">
              <span className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-slate-900 [overflow-wrap:anywhere]">{account.maskedEmail}</span>
                <Badge tone={account.emailVerified ? "good" : "warn"}>{account.emailVerified ? "Email verified" : "Email not verified"}</Badge>
                {account.frozenAt ? <Badge tone="bad">Frozen</Badge> : null}
                {account.disabledAt ? <Badge tone="bad">Disabled</Badge> : null}
              </span>
              <span className="flex flex-wrap items-center gap-2 text-slate-700">
                {account.maskedPhone ? (
                  <>
                    <span className="font-mono">{account.maskedPhone}</span>
                    <Badge tone={account.phoneVerified ? "good" : "warn"}>{account.phoneVerified ? "Mobile verified" : "Mobile not verified"}</Badge>
                  </>
                ) : (
                  <span className="text-slate-600">No mobile number</span>
                )}
                <Badge tone={account.twoFactor ? "good" : "neutral"}>{account.twoFactor ? `2FA: ${TWO_FACTOR[account.twoFactor]}` : "No 2FA"}</Badge>
              </span>
              <span className="text-xs text-slate-600">
                {account.lastSignInAt ? (
                  <>
                    Last signed in <LocalTime value={account.lastSignInAt} />
                  </>
                ) : (
                  "Never signed in"
                )}
                {account.frozenAt ? (
                  <>
                    {" · frozen "}
                    <LocalTime value={account.frozenAt} />
                  </>
                ) : null}
                {account.disabledAt ? (
                  <>
                    {" · disabled "}
                    <LocalTime value={account.disabledAt} />
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
