export { default, metadata } from "@/features/organisations/pages/new-organisation-page";
