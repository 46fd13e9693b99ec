export { default, metadata } from "@/features/organisations/pages/organisations-page";
