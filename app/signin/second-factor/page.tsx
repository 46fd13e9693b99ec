export { default, metadata } from "@/features/accounts/sign-in/pages/second-factor-page";
