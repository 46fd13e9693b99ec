import { createEscalation } from "@/features/api/handlers";
import { apiRoute } from "@/platform/auth/guard";

export const POST = apiRoute("tickets:write", createEscalation);
