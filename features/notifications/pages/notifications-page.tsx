import "server-only";
import type { Metadata } from "next";
import { requirePageActor } from "@/platform/auth/guard";
import { PageHeader } from "@/ui/page-header";
import { recentNotifications, RECENT_NOTIFICATIONS } from "@/features/notifications/service";
import { NotificationList } from "@/features/notifications/components/notification-list";
import { ticketReference } from "@/features/tickets/labels";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const actor = await requirePageActor("console");
  const notifications = await recentNotifications(actor);
  return (
    <>
      <PageHeader
        title="Notifications"
        description={`Your ${RECENT_NOTIFICATIONS} most recent: tickets assigned to you, customers' replies on them, and, for supervisors, escalations and missed SLA targets. Choose which also come by email on your account page.`}
      />
      <NotificationList
        now={new Date().toISOString()}
        notifications={notifications.map((n) => ({
          id: n.id,
          kind: n.kind,
          summary: n.summary,
          createdAt: n.createdAt.toISOString(),
          read: n.readAt !== null,
          ticketHref: `/console/tickets/${n.ticket.id}`,
          ticketReference: ticketReference(n.ticket.number),
        }))}
      />
    </>
  );
}
