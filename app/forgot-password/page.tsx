export { default, metadata } from "@/features/accounts/password/pages/forgot-password-page";
