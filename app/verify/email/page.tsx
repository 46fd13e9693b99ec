export { default, metadata } from "@/features/accounts/registration/pages/verify-email-page";
