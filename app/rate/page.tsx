export { default, metadata } from "@/features/satisfaction/pages/rate-page";
