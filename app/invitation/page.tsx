export { default, metadata } from "@/features/staff/pages/accept-invitation-page";
