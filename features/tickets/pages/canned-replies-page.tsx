import "server-only";
import type { Metadata } from "next";
import { CannedReplyEditor } from "@/features/tickets/components/canned-reply-editor";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { listCannedReplies } from "@/features/tickets/canned-replies";

export const metadata: Metadata = { title: "Canned replies" };

export default async function CannedRepliesPage() {
  await requirePageActor("console");
  const replies = await listCannedReplies();
  return (
    <>
      <PageHeader title="Canned replies" description="Ready-made answers agents insert into a reply and adjust before sending." />
      <div className="flex flex-col gap-4">
        <CannedReplyEditor reply={null} />
        {replies.map((reply) => (
          <CannedReplyEditor key={reply.id} reply={reply} />
        ))}
      </div>
    </>
  );
}
