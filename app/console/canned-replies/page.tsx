export { default, metadata } from "@/features/tickets/pages/canned-replies-page";
