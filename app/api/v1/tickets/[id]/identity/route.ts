import { getTicketIdentity } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const GET = apiRoute("identity:read", getTicketIdentity);
