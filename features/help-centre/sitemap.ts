import "server-only";
import { connection } from "next/server";
import { publicBaseUrl } from "@/platform/env";
import { publicSitemapEntries } from "@/features/help-centre/articles";

const escapeXml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** /help/sitemap.xml: the help centre's front page and every public article (never a draft or an internal one). */
export async function helpSitemapResponse(): Promise<Response> {
  // Per request, never prerendered at build time (no database then, and the list changes).
  await connection();
  const base = publicBaseUrl();
  const entries = await publicSitemapEntries();
  const urls = [
    `<url><loc>${escapeXml(`${base}/help`)}</loc></url>`,
    ...entries.map(
      (entry) =>
        `<url><loc>${escapeXml(`${base}/help/articles/${entry.slug}?lang=${entry.locale}`)}</loc><lastmod>${entry.updatedAt.toISOString()}</lastmod></url>`,
    ),
  ];
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
  return new Response(xml, { headers: { "content-type": "application/xml; charset=utf-8", "cache-control": "public, max-age=300" } });
}
