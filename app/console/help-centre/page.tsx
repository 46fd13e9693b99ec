export { default, metadata } from "@/features/help-centre/pages/help-centre-admin-page";
