export { default, metadata } from "@/features/portal/pages/portal-page";
