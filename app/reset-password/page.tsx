export { default, metadata } from "@/features/accounts/password/pages/reset-password-page";
