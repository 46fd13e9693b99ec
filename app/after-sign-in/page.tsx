export { default } from "@/features/accounts/sign-in/pages/after-sign-in-page";
