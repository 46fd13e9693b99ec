import { z } from "zod";
import { NOTIFICATION_KINDS } from "@/features/notifications/kinds";

/** One schema per input; the bell, the notifications page and the account page parse these. */

export const markNotificationReadSchema = z.object({
  notificationId: z.uuid({ message: "That notification reference is not valid." }),
});

export const markAllNotificationsReadSchema = z.object({});

export const notificationPreferencesSchema = z.object({
  /** Kinds whose email is wanted; every other kind the person receives has its email turned off. */
  emailKinds: z.array(z.enum(NOTIFICATION_KINDS, { message: "That is not a kind of notification." })).max(NOTIFICATION_KINDS.length),
});

export type NotificationPreferencesInput = z.infer<typeof notificationPreferencesSchema>;
