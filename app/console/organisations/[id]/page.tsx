export { default, metadata } from "@/features/organisations/pages/organisation-page";
