export { default, metadata } from "@/features/data-quality/campaigns/pages/campaigns-page";
