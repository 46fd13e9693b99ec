export { default, metadata } from "@/features/escalations/pages/escalations-page";
