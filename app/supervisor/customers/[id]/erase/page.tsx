export { default, metadata } from "@/features/privacy/pages/erase-customer-page";
