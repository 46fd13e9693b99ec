import { listEscalations } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const GET = apiRoute("tickets:read", listEscalations);
