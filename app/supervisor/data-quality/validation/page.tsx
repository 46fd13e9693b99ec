export { default, metadata } from "@/features/data-quality/validation/pages/validation-page";
