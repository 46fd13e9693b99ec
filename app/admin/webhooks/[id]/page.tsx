export { default, metadata } from "@/features/webhooks/pages/webhook-endpoint-page";
