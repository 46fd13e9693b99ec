import { publicRoute } from "@/platform/auth/guard";
import { helpSitemapResponse } from "@/features/help-centre/sitemap";

/** Public on purpose: search engines read it; it lists public articles only. */
export const GET = publicRoute(async () => helpSitemapResponse());
