export { default, metadata } from "@/features/accounts/registration/pages/register-page";
