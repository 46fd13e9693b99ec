export { default, metadata } from "@/features/delivery/pages/outbox-page";
