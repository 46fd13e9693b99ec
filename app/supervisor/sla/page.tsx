export { default, metadata } from "@/features/sla/pages/sla-page";
