export { default, metadata } from "@/features/customers/contacts/pages/verify-contact-page";
