import { getTicket, updateTicket } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const GET = apiRoute("tickets:read", getTicket);
export const PATCH = apiRoute("tickets:write", updateTicket);
