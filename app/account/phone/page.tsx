export { default, metadata } from "@/features/accounts/pages/phone-page";
