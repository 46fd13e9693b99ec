export { default, metadata } from "@/features/tickets/pages/agent-ticket-page";
