import { renderArticleMarkdown } from "@/features/help-centre/markdown";

/** An article's body as the reader sees it. The HTML is sanitised by renderArticleMarkdown (allowlist), never raw. */
export function ArticleBody({ markdown, html }: { markdown?: string; html?: string }) {
  const safe = html ?? renderArticleMarkdown(markdown ?? "");
  // Safe: sanitised by renderArticleMarkdown (markdown-it without HTML, then sanitize-html's allowlist).
  return <div className="article-body" dangerouslySetInnerHTML={{ __html: safe }} />;
}
