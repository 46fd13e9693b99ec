import { removeCustomerPhone } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const DELETE = apiRoute("customers:write", removeCustomerPhone);
