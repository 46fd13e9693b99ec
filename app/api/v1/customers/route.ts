import { createCustomer, listCustomers } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const GET = apiRoute("customers:read", listCustomers);
export const POST = apiRoute("customers:write", createCustomer);
