export { default, metadata } from "@/features/audit/pages/audit-page";
