export { default, metadata } from "@/features/customers/merge/pages/merge-page";
