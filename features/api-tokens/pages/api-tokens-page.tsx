import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { type ApiTokenView, ApiTokenList, CreateApiTokenForm } from "@/features/api-tokens/components/api-tokens";
import { listApiTokens } from "@/features/api-tokens/tokens";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { formatInstant } from "@/platform/time-zone";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";

export const metadata: Metadata = { title: "API tokens" };

/** Administrators issue tokens for the REST API (/api/v1), see when each was last used, and revoke them. */
export default async function ApiTokensPage() {
  await requirePageActor("admin");
  const [tokens, zone] = await Promise.all([listApiTokens(), viewerTimeZone()]);
  const now = new Date();
  const views: ApiTokenView[] = tokens.map((token) => ({
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scopes: token.scopes,
    createdLabel: `created ${formatInstant(token.createdAt, zone)}${token.createdBy ? ` by ${token.createdBy}` : ""}`,
    expiresLabel: token.expiresAt ? `${token.expiresAt <= now ? "expired" : "expires"} ${formatInstant(token.expiresAt, zone)}` : "never expires",
    lastUsedLabel: token.lastUsedAt ? `last used ${formatInstant(token.lastUsedAt, zone)}` : "never used",
    state: token.revokedAt ? "revoked" : token.expiresAt && token.expiresAt <= now ? "expired" : "active",
  }));
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Tokens let other systems use the REST API (
            <Link href="/api/v1/openapi.json" className="font-semibold text-brand-700 underline">
              its OpenAPI document
            </Link>
            ,{" "}
            <Link href="/admin/api/reference" className="font-semibold text-brand-700 underline">
              its reference
            </Link>
            ). A token may do what its scopes allow and nothing more; every request with it is recorded in the audit log.
          </>
        }
      />
      <div className="flex flex-col gap-6">
        <Panel id="new-token-heading" title="New token" description="The token is shown once, right after you create it. Store it like a password.">
          <CreateApiTokenForm />
        </Panel>
        <Panel id="tokens-heading" title="Tokens">
          <ApiTokenList tokens={views} />
        </Panel>
      </div>
    </>
  );
}
