export { default, metadata } from "@/features/data-quality/cleansing/pages/cleansing-page";
