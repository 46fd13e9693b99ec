export { default, metadata } from "@/features/verification/pages/unlocks-page";
