"use server";

import "server-only";

import { cookies } from "next/headers";
import { randomUUID } from "node:crypto";
import { authorizedAction, publicAction } from "@/platform/auth/guard";
import { isUuid } from "@/platform/ids";
import {
  articleForStaff,
  createCategory,
  saveArticle,
  searchArticles,
  VOTES_PER_IP_PER_HOUR,
  visitorKeyOf,
  voteOnArticle,
} from "@/features/help-centre/articles";
import { consumeRateLimit } from "@/platform/rate-limit";
import { renderArticleMarkdown } from "@/features/help-centre/markdown";
import {
  articlePreviewSchema,
  articleSchema,
  articleVoteSchema,
  categorySchema,
  helpSearchSchema,
  suggestionOpenedSchema,
  articleIdSchema,
} from "@/features/help-centre/schemas";
import { recordSuggestionOpened } from "@/features/help-centre/deflection";
import { DomainError } from "@/platform/errors";

export const saveArticleAction = authorizedAction("console", articleSchema, async (input, actor) => saveArticle(actor, input));

export const createCategoryAction = authorizedAction("console", categorySchema, async (input, actor) => createCategory(actor, input));

/** The editor's live preview: the very renderer the pages use. */
export const previewArticleAction = authorizedAction("console", articlePreviewSchema, async (input) => ({ html: renderArticleMarkdown(input.body) }));

/** The agent's reply box: internal and public articles. */
export const searchArticlesForAgentAction = authorizedAction("console", helpSearchSchema, async (input) =>
  // Not logged: the box searches as the agent types.
  searchArticles({ query: input.q, audience: "staff", take: 8, log: false }),
);

/** An internal or public article's Markdown, for the reply box's "Insert text" (drafts are not answers yet). */
export const articleTextForAgentAction = authorizedAction("console", articleIdSchema, async (input) => {
  const article = await articleForStaff(input.articleId);
  if (!article || article.visibility === "draft") throw new DomainError("That article is not published.", "not_found");
  return { title: article.title, body: article.body };
});

/** While a customer types a new ticket's subject: public articles, not logged (a search per keystroke is not a search). */
export const suggestArticlesAction = authorizedAction("portal", helpSearchSchema, async (input) =>
  searchArticles({ query: input.q, audience: "public", match: "any", take: 5, log: false }),
);

/** The customer opened a suggested article from the new-ticket form (a deflection if no ticket follows). */
export const suggestionOpenedAction = authorizedAction("portal", suggestionOpenedSchema, async (input, actor) => {
  await recordSuggestionOpened({ userId: actor.userId, formKey: input.formKey, articleId: input.articleId });
  return { recorded: true };
});

const VISITOR_COOKIE = "veridesk_visitor";

/**
 * "Was this helpful?": one vote per visitor (a random id in a first-party cookie, stored only as a
 * keyed hash); voting again changes the vote. Anonymous visitors may vote: the help centre is public.
 */
export const voteOnArticleAction = publicAction(articleVoteSchema, async (input, { ip }) => {
  if (!(await consumeRateLimit(`kb-vote:${ip}`, VOTES_PER_IP_PER_HOUR, 3600)).allowed)
    throw new DomainError("Too many votes from your network in the last hour. Try again later.", "rate_limited");
  const jar = await cookies();
  let visitorId = jar.get(VISITOR_COOKIE)?.value;
  if (!isUuid(visitorId)) {
    visitorId = randomUUID();
    jar.set(VISITOR_COOKIE, visitorId, {
      httpOnly: true,
      sameSite: "lax",
      secure: process.env.NEXTAUTH_URL?.startsWith("https://") ?? false,
      path: "/help",
      maxAge: 365 * 24 * 60 * 60,
    });
  }
  const counts = await voteOnArticle({ articleId: input.articleId, visitorKey: visitorKeyOf(visitorId), helpful: input.helpful });
  if (!counts) throw new DomainError("This article is not published any more.", "not_found");
  return counts;
});
