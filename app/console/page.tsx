export { default, metadata } from "@/features/tickets/queue/queue-page";
