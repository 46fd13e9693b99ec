export { default, metadata } from "@/features/data-quality/import/pages/import-page";
