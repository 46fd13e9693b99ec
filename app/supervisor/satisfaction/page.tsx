export { default, metadata } from "@/features/reporting/pages/satisfaction-page";
