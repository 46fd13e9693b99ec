import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

/**
 * Articles are written in Markdown and rendered to HTML here, on the server only, for the public
 * pages, the console and the editor's preview alike: one renderer, so the preview is the page.
 *
 * Two layers, because an article is read by customers who never chose to trust its author:
 *  1. markdown-it with `html: false`: raw HTML in the source is shown as text, not parsed, and its
 *     link validator already refuses javascript:, vbscript:, file: and data: (except images) URLs;
 *  2. sanitize-html over the result with an allowlist of tags and attributes: whatever a future
 *     markdown-it plugin or bug lets through, no script, event handler, style, iframe or form
 *     survives, links only go to http(s) and mailto, and images only come from this site (a
 *     relative path: the Content-Security-Policy allows no other image source anyway).
 * Headings move down a level (# → h2): the page's own h1 is the article's title.
 */

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const HEADING_SHIFT: Record<string, string> = { h1: "h2", h2: "h3", h3: "h4", h4: "h5", h5: "h6", h6: "h6" };

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "strong",
    "em",
    "s",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], img: ["src", "alt", "title"], ol: ["start"], th: ["align"], td: ["align"], code: ["class"] },
  allowedClasses: { code: [/^language-[a-z0-9+#-]{1,30}$/] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    ...Object.fromEntries(Object.entries(HEADING_SHIFT).map(([from, to]) => [from, to])),
    a: (_tagName, attribs) => ({ tagName: "a", attribs: { ...attribs, rel: "nofollow noopener noreferrer" } }),
  },
  // An image from another site (or a data: URL) is dropped, with no broken frame left behind.
  // Only this help centre's own images: any other same-site path would make every reader's browser request it with their cookies.
  exclusiveFilter: (frame) => frame.tag === "img" && !/^\/help\/files\/[0-9a-f-]{36}$/.test(frame.attribs.src ?? ""),
};

/** Safe HTML for an article body. */
export function renderArticleMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE);
}

/** The words of an article without its markup, for excerpts and descriptions. */
export function articlePlainText(source: string, maxCharacters = 300): string {
  const text = sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > maxCharacters ? `${text.slice(0, maxCharacters - 1).trimEnd()}…` : text;
}
