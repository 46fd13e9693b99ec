export { default } from "@/features/staff/pages/admin-page";
