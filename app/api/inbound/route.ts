import { publicRoute } from "@/lib/auth/guard";
import { serverEnv } from "@/lib/env";
import { handleGatewayInbound } from "@/lib/tickets/inbound-http";

export const dynamic = "force-dynamic";

// Public on purpose: a mail gateway posts received email here without a session. It is
// authenticated by "Authorization: Bearer <INBOUND_EMAIL_SECRET>", compared in constant time;
// 503 while that secret is not configured (lib/tickets/inbound-http.ts).
export const POST = publicRoute(async (request) => handleGatewayInbound(request, { secret: serverEnv().INBOUND_EMAIL_SECRET }));
