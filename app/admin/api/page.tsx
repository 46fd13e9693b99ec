export { default, metadata } from "@/features/api-tokens/pages/api-tokens-page";
