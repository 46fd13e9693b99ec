export { default, metadata } from "@/features/accounts/freeze/pages/dispute-page";
