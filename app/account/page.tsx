export { default, metadata } from "@/features/accounts/pages/account-page";
