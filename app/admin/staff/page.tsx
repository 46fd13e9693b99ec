export { default, metadata } from "@/features/staff/pages/staff-page";
