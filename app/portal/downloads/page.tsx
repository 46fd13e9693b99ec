export { default, metadata } from "@/features/portal/pages/downloads-page";
