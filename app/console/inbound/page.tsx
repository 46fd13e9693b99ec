export { default, metadata } from "@/features/tickets/inbound/held-emails-page";
