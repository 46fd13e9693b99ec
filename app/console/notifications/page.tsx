export { default, metadata } from "@/features/notifications/pages/notifications-page";
