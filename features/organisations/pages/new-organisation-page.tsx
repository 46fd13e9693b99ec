import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/platform/auth/guard";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";
import { CreateOrganisationForm } from "@/features/organisations/components/organisation-form";

export const metadata: Metadata = { title: "New organisation" };

export default async function NewOrganisationPage() {
  await requirePageActor("console");
  return (
    <>
      <p className="mb-3 text-sm">
        <Link href="/console/organisations" className="font-medium text-brand-700 hover:underline">
          ← Back to organisations
        </Link>
      </p>
      <PageHeader title="New organisation" description="Then add its contacts, its mail domains and (supervisors) its agreements." />
      <Panel id="new-organisation" title="Organisation">
        <CreateOrganisationForm />
      </Panel>
    </>
  );
}
