import "server-only";
import { toStorableText, truncateText } from "@/platform/text/schemas";

/**
 * Text the helpdesk stores from an email. Nothing is ever stored as HTML: the console renders
 * message bodies as text, and an HTML-only email is converted here (scripts, styles and other
 * non-content dropped, markup removed, entities decoded, links kept as "text (url)").
 *
 * The converter is a single left-to-right scan (no backtracking regular expressions), so a
 * hostile 1 MB body costs linear time.
 */

/** Elements whose content is never text for a reader. */
const DROPPED = new Set(["script", "style", "head", "title", "template", "noscript", "iframe", "object", "embed", "svg", "math", "xml", "select", "textarea"]);
const PARAGRAPH = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl", "pre", "figure", "address", "fieldset", "form"]);
const LINE = new Set([
  "div",
  "tr",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "nav",
  "aside",
  "dt",
  "dd",
  "figcaption",
  "center",
  "caption",
  "tbody",
  "thead",
  "tfoot",
  "body",
  "html",
]);
const CELL = new Set(["td", "th"]);

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ensp: " ",
  emsp: " ",
  thinsp: " ",
  copy: "©",
  reg: "®",
  trade: "™",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  sbquo: "‚",
  bdquo: "„",
  laquo: "«",
  raquo: "»",
  bull: "•",
  middot: "·",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  sect: "§",
  para: "¶",
  deg: "°",
  plusmn: "±",
  times: "×",
  divide: "÷",
  frac12: "½",
  frac14: "¼",
  frac34: "¾",
  iexcl: "¡",
  iquest: "¿",
  shy: "",
  zwnj: "",
  zwj: "",
  auml: "ä",
  ouml: "ö",
  uuml: "ü",
  Auml: "Ä",
  Ouml: "Ö",
  Uuml: "Ü",
  szlig: "ß",
  eacute: "é",
  egrave: "è",
  ecirc: "ê",
  aacute: "á",
  agrave: "à",
  acirc: "â",
  ccedil: "ç",
  ntilde: "ñ",
  oacute: "ó",
  iacute: "í",
  uacute: "ú",
};

/** Decodes character references: named ones we know, and every numeric one. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, body: string) => {
    if (body.startsWith("#")) {
      const code = body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/** Where the tag starting at `start` ("<") ends (index of its ">"), honouring quoted attribute values; -1 if never. */
function tagEnd(html: string, start: number): number {
  let quote: string | null = null;
  for (let i = start + 1; i < html.length; i++) {
    const c = html[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ">") {
      return i;
    }
  }
  return -1;
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return match ? decodeEntities(match[2] ?? match[3] ?? match[4] ?? "") : null;
}

/** Plain text from an HTML document or fragment, for storing and showing as text. */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  const links: Array<{ href: string; at: number }> = [];
  let pre = 0;
  let i = 0;
  const text = (raw: string) => {
    const decoded = decodeEntities(raw);
    out.push(pre > 0 ? decoded : decoded.replace(/[ \t\r\n\f]+/g, " "));
  };
  while (i < html.length) {
    const open = html.indexOf("<", i);
    if (open === -1) {
      text(html.slice(i));
      break;
    }
    if (open > i) text(html.slice(i, open));
    if (html.startsWith("<!--", open)) {
      const close = html.indexOf("-->", open + 4);
      i = close === -1 ? html.length : close + 3;
      continue;
    }
    const nameMatch = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(open, open + 64));
    if (!nameMatch) {
      if (html[open + 1] === "!" || html[open + 1] === "?") {
        const close = html.indexOf(">", open);
        i = close === -1 ? html.length : close + 1;
      } else {
        out.push("<");
        i = open + 1;
      }
      continue;
    }
    const end = tagEnd(html, open);
    if (end === -1) break; // An unfinished tag at the very end: drop it.
    const closing = nameMatch[1] === "/";
    const name = nameMatch[2]!.toLowerCase();
    const tag = html.slice(open, end + 1);
    i = end + 1;

    if (!closing && DROPPED.has(name) && !tag.endsWith("/>")) {
      const close = lower.indexOf(`</${name}`, i);
      if (close === -1) break; // Never closed: everything after it is its content.
      const after = html.indexOf(">", close);
      i = after === -1 ? html.length : after + 1;
      continue;
    }
    if (name === "br") out.push("\n");
    else if (name === "hr") out.push("\n----\n");
    else if (name === "li") out.push(closing ? "" : "\n- ");
    else if (PARAGRAPH.has(name)) out.push("\n\n");
    else if (LINE.has(name)) out.push("\n");
    else if (CELL.has(name) && closing) out.push("  ");
    else if (name === "img" && !closing) {
      const alt = attribute(tag, "alt")?.trim();
      if (alt) out.push(`[${alt}]`);
    } else if (name === "a") {
      if (!closing) {
        const href = attribute(tag, "href")?.trim();
        if (href && /^(https?:|mailto:)/i.test(href)) links.push({ href, at: out.length });
      } else {
        const link = links.pop();
        if (link) {
          const label = out.slice(link.at).join("").trim();
          const target = link.href.replace(/^mailto:/i, "");
          if (label && label !== target && label !== link.href) out.push(` (${link.href})`);
          else if (!label) out.push(link.href);
        }
      }
    }
    if (name === "pre") pre = Math.max(0, pre + (closing ? -1 : 1));
  }
  return tidy(out.join(""));
}

function tidy(text: string): string {
  return cleanText(text)
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/, "").replace(/^ (?=\S)/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * Text made safe to store: line breaks as "\n", no NUL (PostgreSQL refuses it) and no other
 * control characters except tab and line feed.
 */
export function cleanText(text: string): string {
  return toStorableText(text);
}

/** A one-line field (subject, name, file name): no line breaks or controls, trimmed, at most `max` characters. */
export function cleanLine(value: string | null | undefined, max: number): string {
  // eslint-disable-next-line no-control-regex
  const line = toStorableText(value ?? "")
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
  // Never half an emoji: a cut surrogate pair is text PostgreSQL refuses, and the email would be lost.
  return truncateText(line, max);
}
