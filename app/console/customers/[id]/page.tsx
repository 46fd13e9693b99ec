export { default, metadata } from "@/features/customers/pages/customer-page";
