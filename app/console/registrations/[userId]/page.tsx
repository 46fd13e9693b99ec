export { default, metadata } from "@/features/customers/registration-review/pages/registration-page";
