import { publicRoute } from "@/platform/auth/guard";
import { db } from "@/platform/db/client";

export const dynamic = "force-dynamic";

// For load balancers: 200 when this instance can reach the shared database.
export const GET = publicRoute(async () => {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "database unreachable" }, { status: 503 });
  }
});
