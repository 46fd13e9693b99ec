export { default, metadata } from "@/features/accounts/sign-in/pages/sign-in-page";
