export { default, metadata } from "@/features/customers/pages/new-ticket-page";
