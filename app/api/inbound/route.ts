import { publicRoute } from "@/platform/auth/guard";
import { serverEnv } from "@/platform/env";
import { handleGatewayInbound } from "@/features/tickets/inbound/inbound-http";

export const dynamic = "force-dynamic";

// Public on purpose: a mail gateway posts received email here without a session. It is
// authenticated by "Authorization: Bearer <INBOUND_EMAIL_SECRET>", compared in constant time;
// 503 while that secret is not configured (features/tickets/inbound/inbound-http.ts).
export const POST = publicRoute(async (request) => handleGatewayInbound(request, { secret: serverEnv().INBOUND_EMAIL_SECRET }));
