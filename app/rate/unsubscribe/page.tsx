export { default, metadata } from "@/features/satisfaction/pages/opt-out-page";
