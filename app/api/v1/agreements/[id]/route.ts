import { updateAgreement } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const PATCH = apiRoute("customers:write", updateAgreement);
