export { default, metadata } from "@/features/reporting/pages/reports-page";
