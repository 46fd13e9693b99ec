export { default, metadata } from "@/features/customers/pages/customers-page";
