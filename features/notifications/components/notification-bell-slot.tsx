import "server-only";
import { currentActor } from "@/platform/auth/guard";
import { mayEnter } from "@/platform/auth/policy";
import { unreadNotificationCount } from "@/features/notifications/service";
import { NotificationBell } from "@/features/notifications/components/notification-bell";

/** The bell for staff (console roles); nothing for customers or visitors. Rendered in the site header. */
export async function NotificationBellSlot() {
  const actor = await currentActor();
  if (!actor || !mayEnter(actor.role, "console")) return null;
  return <NotificationBell initialUnread={await unreadNotificationCount(actor)} />;
}
