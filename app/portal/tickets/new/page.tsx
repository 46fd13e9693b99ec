export { default, metadata } from "@/features/tickets/pages/portal-new-ticket-page";
