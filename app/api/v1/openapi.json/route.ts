import { openApiDocument } from "@/features/api/openapi";
import { publicRoute } from "@/platform/auth/guard";

/** The API's contract, public like any API reference. */
export const GET = publicRoute(async () => Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }));
