export { default, metadata } from "@/features/webhooks/pages/webhooks-page";
