import "server-only";
import { headers } from "next/headers";

/**
 * The viewer's languages, best first, from ?lang= and then the browser's Accept-Language
 * ("de-CH,de;q=0.9,en;q=0.8" → de-CH, de, en). Only well-formed tags; at most 10.
 */
export async function viewerLocales(lang?: string): Promise<string[]> {
  const wanted: { tag: string; q: number }[] = [];
  if (lang && /^[a-z]{2,3}(?:-[A-Z]{2})?$/.test(lang)) wanted.push({ tag: lang, q: 2 });
  const accept = (await headers()).get("accept-language") ?? "";
  for (const part of accept.split(",").slice(0, 10)) {
    const [raw, ...params] = part.trim().split(";");
    const tag = raw
      ?.trim()
      .replace(/^([a-zA-Z]{2,3})(?:-([a-zA-Z]{2}))?$/, (_m, language: string, region?: string) =>
        region ? `${language.toLowerCase()}-${region.toUpperCase()}` : language.toLowerCase(),
      );
    if (!tag || !/^[a-z]{2,3}(?:-[A-Z]{2})?$/.test(tag)) continue;
    const q = Number.parseFloat(
      params
        .find((param) => param.trim().startsWith("q="))
        ?.trim()
        .slice(2) ?? "1",
    );
    wanted.push({ tag, q: Number.isFinite(q) ? q : 0 });
  }
  const tags = wanted.sort((a, b) => b.q - a.q).map((entry) => entry.tag);
  // "de-CH" also accepts "de".
  return [...new Set(tags.flatMap((tag) => (tag.includes("-") ? [tag, tag.split("-")[0]!] : [tag])))];
}

/** The first of `available` the viewer reads, else the first available. */
export function pickLocale(available: string[], wanted: string[]): string | undefined {
  return wanted.find((tag) => available.includes(tag)) ?? available[0];
}
