export { default, metadata } from "@/features/demo/pages/mailbox-message-page";
