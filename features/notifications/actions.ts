"use server";

import "server-only";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/platform/auth/guard";
import { markAllNotificationsReadSchema, markNotificationReadSchema, notificationPreferencesSchema } from "@/features/notifications/schemas";
import { markAllNotificationsRead, markNotificationRead, saveNotificationPreferences, unreadNotificationCount } from "@/features/notifications/service";

export const markRead = authorizedAction("console", markNotificationReadSchema, async (input, actor) => {
  await markNotificationRead(actor, input.notificationId);
  revalidatePath("/console/notifications");
  return { unread: await unreadNotificationCount(actor) };
});

export const markAllRead = authorizedAction("console", markAllNotificationsReadSchema, async (_input, actor) => {
  const marked = await markAllNotificationsRead(actor);
  revalidatePath("/console/notifications");
  return { marked, unread: 0 };
});

export const saveEmailPreferences = authorizedAction("account", notificationPreferencesSchema, async (input, actor) => {
  const preferences = await saveNotificationPreferences(actor, input.emailKinds);
  revalidatePath("/account");
  return { preferences };
});
