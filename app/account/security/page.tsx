export { default, metadata } from "@/features/accounts/pages/security-page";
