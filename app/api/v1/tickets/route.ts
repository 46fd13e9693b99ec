import { createTicket, listTickets } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const GET = apiRoute("tickets:read", listTickets);
export const POST = apiRoute("tickets:write", createTicket);
