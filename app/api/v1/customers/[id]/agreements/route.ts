import { createAgreement, listCustomerAgreements } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const GET = apiRoute("customers:read", listCustomerAgreements);
export const POST = apiRoute("customers:write", createAgreement);
