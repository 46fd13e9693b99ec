import { getCustomer, updateCustomer } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const GET = apiRoute("customers:read", getCustomer);
export const PATCH = apiRoute("customers:write", updateCustomer);
