export { default, metadata } from "@/features/accounts/pages/email-page";
