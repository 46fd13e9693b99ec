import type { MetadataRoute } from "next";

/** Signed-in areas, the API, the developer pages and the satisfaction survey's links (a token each): nothing there is for search engines. */
export const PRIVATE_PATHS = ["/console", "/supervisor", "/admin", "/portal", "/account", "/api", "/dev", "/rate"];

/** /robots.txt: crawlers may read the public pages (home, sign-in, registration…), not the private ones. */
export default function robots(): MetadataRoute.Robots {
  return { rules: { userAgent: "*", allow: "/", disallow: PRIVATE_PATHS } };
}
