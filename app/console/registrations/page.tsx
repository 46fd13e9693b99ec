export { default, metadata } from "@/features/customers/registration-review/pages/registrations-page";
