export { default, metadata } from "@/features/api/pages/api-reference-page";
