import { addCustomerEmail } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const POST = apiRoute("customers:write", addCustomerEmail);
