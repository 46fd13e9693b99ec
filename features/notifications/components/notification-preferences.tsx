import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { Panel } from "@/ui/panel";
import { notificationPreferences } from "@/features/notifications/service";
import { NotificationPreferencesForm } from "@/features/notifications/components/notification-preferences-form";

/** The account page's section for staff: which notifications also come by email. Nothing for customers. */
export async function NotificationPreferencesPanel({ actor }: { actor: Actor }) {
  const preferences = await notificationPreferences(actor);
  if (preferences.length === 0) return null;
  return (
    <Panel
      id="notification-settings"
      title="Notifications"
      description="Every notification appears under the bell in the console. Choose which ones also come to you by email."
    >
      <NotificationPreferencesForm preferences={preferences} />
    </Panel>
  );
}
