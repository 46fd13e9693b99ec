export { default, metadata } from "@/features/tickets/pages/portal-ticket-page";
