export { default, metadata } from "@/features/data-quality/report/pages/contacts-page";
