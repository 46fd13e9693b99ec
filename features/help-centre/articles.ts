import "server-only";
import { createHmac } from "node:crypto";
import { diffLines, diffWords } from "diff";
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { mayEnter } from "@/platform/auth/policy";
import { db, type KbVisibility, type Prisma, type Role } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { DomainError } from "@/platform/errors";
import { derivedKey } from "@/platform/secret-keys";
import { consumeRateLimit } from "@/platform/rate-limit";
import { articlePlainText } from "@/features/help-centre/markdown";
import { type articleSchema, type categorySchema, slugFromTitle } from "@/features/help-centre/schemas";

/**
 * The knowledge base (issue 15): categories and articles, each draft (staff only, unpublished),
 * internal (published for staff) or public (published at /help for everyone), in one language
 * each; translations share a translationKey. Every save is a revision (who, when, what) and moves
 * the article's version on, so an edit made on a stale copy is refused instead of overwriting.
 * Search is PostgreSQL full text (the searchVector trigger of migration kb_articles): ranked by
 * ts_rank_cd, title first, with highlighted excerpts. Server only.
 */

export type StaffWriter = { userId: string; name: string; role: Role };
type ArticleValues = z.output<typeof articleSchema>;

function requireStaff(actor: { role: Role }) {
  if (!mayEnter(actor.role, "console")) throw new DomainError("Only staff can write help-centre articles.", "forbidden");
}

const STALE = "Someone saved this article since you opened it. Copy your changes, reload the page, and apply them to the newest version.";

/** A free slug in the locale: the one asked for (refused when taken), or one made from the title with -2, -3… added as needed. */
async function freeSlug(tx: Prisma.TransactionClient, values: ArticleValues, exceptId?: string): Promise<string> {
  const taken = async (slug: string) =>
    (await tx.kbArticle.findFirst({ where: { locale: values.locale, slug, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } })) !== null;
  if (values.slug) {
    if (await taken(values.slug))
      throw new DomainError("Another article in this language has that address.", "conflict", { slug: ["Another article in this language has that address."] });
    return values.slug;
  }
  const base = slugFromTitle(values.title);
  for (let suffix = 1; suffix < 50; suffix++) {
    const candidate = suffix === 1 ? base : `${base.slice(0, 76)}-${suffix}`;
    if (!(await taken(candidate))) return candidate;
  }
  throw new DomainError("Choose an address for the article: every one made from its title is taken.", "conflict", { slug: ["Choose an address."] });
}

export type SavedArticle = { articleId: string; version: number; slug: string; locale: string };

/** Creates or updates an article (with its revision), refusing a save made on a stale version. */
export async function saveArticle(actor: StaffWriter, values: ArticleValues): Promise<SavedArticle> {
  requireStaff(actor);
  const now = new Date();
  const categoryId = values.categoryId || null;
  try {
    return await db.$transaction(async (tx) => {
      if (categoryId && !(await tx.kbCategory.findUnique({ where: { id: categoryId }, select: { id: true } })))
        throw new DomainError("That category no longer exists.", "invalid", { categoryId: ["Choose a category from the list."] });
      let article: { id: string; version: number; slug: string; locale: string; visibility: KbVisibility };
      if (!values.articleId) {
        let translationKey: string | null = null;
        if (values.translationOf) {
          const original = await tx.kbArticle.findUnique({ where: { id: values.translationOf }, select: { translationKey: true } });
          if (!original) throw new DomainError("The article to translate no longer exists.", "not_found");
          translationKey = original.translationKey;
          if (await tx.kbArticle.findFirst({ where: { translationKey, locale: values.locale }, select: { id: true } }))
            throw new DomainError("That article already has a translation in this language.", "conflict", {
              locale: ["Already translated into this language."],
            });
        }
        const slug = await freeSlug(tx, values);
        const created = await tx.kbArticle.create({
          data: {
            title: values.title,
            slug,
            locale: values.locale,
            body: values.body,
            visibility: values.visibility,
            categoryId,
            authorId: actor.userId,
            translationKey: translationKey ?? "00000000-0000-4000-8000-000000000000",
            publishedAt: values.visibility === "draft" ? null : now,
          },
          select: { id: true, version: true, slug: true, locale: true, visibility: true },
        });
        // An original is its own translation group.
        if (!translationKey) await tx.kbArticle.update({ where: { id: created.id }, data: { translationKey: created.id } });
        article = created;
      } else {
        const [current] = await tx.$queryRaw<{ id: string; version: number; publishedAt: Date | null }[]>`
          SELECT "id", "version", "publishedAt" FROM "KbArticle" WHERE "id" = CAST(${values.articleId} AS uuid) FOR UPDATE`;
        if (!current) throw new DomainError("This article no longer exists.", "not_found");
        if (values.expectedVersion !== undefined && values.expectedVersion !== current.version) throw new DomainError(STALE, "conflict");
        const slug = await freeSlug(tx, values, current.id);
        article = await tx.kbArticle.update({
          where: { id: current.id },
          data: {
            title: values.title,
            slug,
            locale: values.locale,
            body: values.body,
            visibility: values.visibility,
            categoryId,
            version: { increment: 1 },
            publishedAt: values.visibility === "draft" ? current.publishedAt : (current.publishedAt ?? now),
          },
          select: { id: true, version: true, slug: true, locale: true, visibility: true },
        });
      }
      await tx.kbArticleRevision.create({
        data: {
          articleId: article.id,
          version: article.version,
          title: values.title,
          body: values.body,
          visibility: values.visibility,
          editedById: actor.userId,
          editedBy: actor.name,
          createdAt: now,
        },
      });
      await recordAudit(
        {
          action: values.articleId ? "help.article_updated" : "help.article_created",
          actor: { userId: actor.userId, role: actor.role },
          subjectType: "KbArticle",
          subjectId: article.id,
          details: { version: article.version, visibility: article.visibility },
        },
        tx,
      );
      return { articleId: article.id, version: article.version, slug: article.slug, locale: article.locale };
    });
  } catch (error) {
    // Two saves racing for one slug or one translation: the loser is told like any taken address.
    if (isUniqueViolation(error))
      throw new DomainError("Another article in this language has that address.", "conflict", { slug: ["Choose another address."] });
    throw error;
  }
}

export async function createCategory(actor: StaffWriter, values: z.output<typeof categorySchema>): Promise<{ id: string; slug: string }> {
  requireStaff(actor);
  const slug = values.slug || slugFromTitle(values.name);
  try {
    const created = await db.kbCategory.create({
      data: { name: values.name, slug, description: values.description || null, position: await db.kbCategory.count() },
      select: { id: true, slug: true },
    });
    await recordAudit({ action: "help.category_created", actor: { userId: actor.userId, role: actor.role }, subjectType: "KbCategory", subjectId: created.id });
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("A category has that address already.", "conflict", { slug: ["Choose another address."] });
    throw error;
  }
}

export async function listCategories() {
  return db.kbCategory.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }], select: { id: true, slug: true, name: true, description: true } });
}

// ───────────────────────────── Reading (staff) ─────────────────────────────

export async function articleForStaff(id: string) {
  return db.kbArticle.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      slug: true,
      locale: true,
      body: true,
      visibility: true,
      version: true,
      categoryId: true,
      translationKey: true,
      publishedAt: true,
      updatedAt: true,
      helpfulCount: true,
      unhelpfulCount: true,
    },
  });
}

/** A support answer (a public reply by staff) as the start of a draft article: the ticket's subject and the answer's text. */
export async function draftFromAnswer(messageId: string): Promise<{ title: string; body: string } | null> {
  const message = await db.ticketMessage.findUnique({
    where: { id: messageId },
    select: { kind: true, body: true, authorApiTokenId: true, author: { select: { role: true } }, ticket: { select: { subject: true } } },
  });
  const byStaff = message?.authorApiTokenId != null || (message?.author != null && message.author.role !== "customer");
  if (!message || message.kind !== "public_reply" || !byStaff) return null;
  return { title: message.ticket.subject.slice(0, 200), body: message.body.slice(0, 100_000) };
}

export async function staffArticleList(take = 200) {
  return db.kbArticle.findMany({
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take,
    select: {
      id: true,
      title: true,
      slug: true,
      locale: true,
      visibility: true,
      updatedAt: true,
      helpfulCount: true,
      unhelpfulCount: true,
      category: { select: { name: true } },
    },
  });
}

/** The other languages of an article (links for the editor and the public page). */
export async function translationsOf(translationKey: string, visibility?: KbVisibility[]) {
  return db.kbArticle.findMany({
    where: { translationKey, ...(visibility ? { visibility: { in: visibility } } : {}) },
    orderBy: { locale: "asc" },
    select: { id: true, locale: true, slug: true, title: true, visibility: true },
  });
}

export type DiffPart = { value: string; added: boolean; removed: boolean };

/** Time the history page may spend diffing, all revisions together: diffs run on the request's thread. */
const DIFF_BUDGET_MS = 800;

/**
 * The latest `take` revisions, each with what it changed against the one before it: title and
 * visibility, and the body word by word (line by line when that is quicker; none, said so, once
 * the page's diff budget is spent — a long article rewritten many times must not stall the server).
 */
export async function articleHistory(articleId: string, take = 20) {
  const revisions = await db.kbArticleRevision.findMany({ where: { articleId }, orderBy: { version: "desc" }, take: take + 1 });
  const deadline = performance.now() + DIFF_BUDGET_MS;
  return revisions.slice(0, take).map((revision, index) => {
    const previous = revisions[index + 1];
    const left = Math.max(0, deadline - performance.now());
    const changes =
      left > 0
        ? (diffWords(previous?.body ?? "", revision.body, { timeout: Math.min(left, 200) }) ??
          diffLines(previous?.body ?? "", revision.body, { timeout: left }))
        : undefined;
    const parts: DiffPart[] | null = changes
      ? changes.map((part) => ({ value: part.value, added: Boolean(part.added), removed: Boolean(part.removed) }))
      : null;
    return {
      version: revision.version,
      editedBy: revision.editedBy,
      createdAt: revision.createdAt,
      title: { before: previous?.title ?? null, after: revision.title },
      visibility: { before: previous?.visibility ?? null, after: revision.visibility },
      /** Null: too large a change to compare within the page's budget. */
      parts,
    };
  });
}

// ───────────────────────────── Reading (everyone) ─────────────────────────────

/**
 * The public help centre's front page: categories with their public articles, each in the first
 * of the viewer's languages it has (else its original), excerpts from the start of the body only.
 */
export async function publicHelpHome(locales: string[]) {
  const [categories, articles] = await Promise.all([
    listCategories(),
    db.$queryRaw<{ id: string; title: string; slug: string; locale: string; start: string; categoryId: string | null; translationKey: string }[]>`
      SELECT DISTINCT ON ("translationKey") "id", "title", "slug", "locale", left("body", 1500) AS "start", "categoryId", "translationKey"
        FROM "KbArticle"
       WHERE "visibility" = 'public'
       ORDER BY "translationKey", coalesce(array_position(CAST(${locales} AS text[]), "locale"), 1000), ("id" = "translationKey") DESC, "id"`,
  ]);
  const chosen = articles.map((article) => ({ ...article, excerpt: articlePlainText(article.start, 160) })).sort((a, b) => a.title.localeCompare(b.title));
  return {
    categories: categories
      .map((category) => ({ ...category, articles: chosen.filter((article) => article.categoryId === category.id) }))
      .filter((category) => category.articles.length > 0),
    uncategorised: chosen.filter((article) => !article.categoryId),
  };
}

/**
 * A public article by its address in any language, or null (drafts and internal articles are
 * not found, whoever asks). `locales`: the viewer's languages, best first: when the article has a
 * public translation in one of them, that is named so the page can offer it.
 */
export async function publicArticle(slug: string, locale: string) {
  const article = await db.kbArticle.findUnique({
    where: { locale_slug: { locale, slug } },
    select: {
      id: true,
      title: true,
      slug: true,
      locale: true,
      body: true,
      visibility: true,
      translationKey: true,
      updatedAt: true,
      publishedAt: true,
      helpfulCount: true,
      unhelpfulCount: true,
      category: { select: { name: true, slug: true } },
    },
  });
  return article?.visibility === "public" ? article : null;
}

/** Which public language versions of an address exist (the page picks one when no language is named). */
export async function publicLocalesOf(slug: string): Promise<string[]> {
  const rows = await db.kbArticle.findMany({ where: { slug, visibility: "public" }, select: { locale: true }, orderBy: { locale: "asc" } });
  return rows.map((row) => row.locale);
}

export async function publicSitemapEntries() {
  return db.kbArticle.findMany({
    where: { visibility: "public" },
    orderBy: [{ locale: "asc" }, { slug: "asc" }],
    select: { slug: true, locale: true, updatedAt: true },
  });
}

// ───────────────────────────── Search ─────────────────────────────

export type Excerpt = { text: string; match: boolean }[];
export interface ArticleHit {
  id: string;
  slug: string;
  title: string;
  locale: string;
  visibility: KbVisibility;
  excerpt: Excerpt;
}

/** Searches one client address may add to the "what people searched for" log in an hour; more are answered, not logged. */
export const SEARCH_LOGS_PER_IP_PER_HOUR = 60;
/** Helpful votes one client address may cast in an hour (each new visitor cookie is a new voter). */
export const VOTES_PER_IP_PER_HOUR = 30;

const START = "\u0001";
const STOP = "\u0002";

/** ts_headline's text with our two markers split into plain parts: rendered as text, so nothing in an article becomes markup. */
function excerptOf(headline: string): Excerpt {
  const parts: Excerpt = [];
  for (const [index, piece] of headline.split(new RegExp(`[${START}${STOP}]`)).entries()) {
    if (piece) parts.push({ text: piece, match: index % 2 === 1 });
  }
  return parts;
}

/**
 * Ranked full-text search. `audience` public: public articles only, one language version per
 * article (the viewer's when there is one); staff: internal and public (drafts too when asked).
 * `source` logs the query for the "searches with no result" report (not for suggestions typed
 * letter by letter: pass log false).
 */
export async function searchArticles(input: {
  query: string;
  audience: "public" | "staff";
  /** The viewer's languages, best first: stemming uses the first, and each public article shows in the first it has. */
  locales?: string[];
  includeDrafts?: boolean;
  take?: number;
  /** `ip`: searches logged per client address are capped (SEARCH_LOGS_PER_IP_PER_HOUR), so a script cannot fill the report. */
  log?: { source: "help" | "portal" | "agent"; ip?: string } | false;
  /** "all" (default): every word must match, as a search box does; "any": some word must (suggestions from a ticket's subject). */
  match?: "all" | "any";
}): Promise<ArticleHit[]> {
  const typed = input.query.trim().slice(0, 200);
  if (typed.length < 2) return [];
  // websearch syntax: words joined by "or" match any of them; quotes and minus signs are dropped for that.
  const query =
    input.match === "any"
      ? typed
          .replace(/["-]/g, " ")
          .split(/\s+/)
          .filter((word) => word.length > 1 && word.toLowerCase() !== "or")
          .slice(0, 12)
          .join(" or ")
      : typed;
  // Only exclusions ("-foo") would match every article: a search needs a word to look for.
  if (!query || query.split(/\s+/).every((word) => word.startsWith("-") || word.toLowerCase() === "or")) return [];
  const locales = input.locales?.length ? input.locales : ["en"];
  const locale = locales[0]!;
  const visibilities: KbVisibility[] =
    input.audience === "public" ? ["public"] : input.includeDrafts ? ["draft", "internal", "public"] : ["internal", "public"];
  const take = Math.min(Math.max(input.take ?? 10, 1), 50);
  // "any" (a ticket's subject): stemmed words only, so "the" or "my" do not match every title.
  const simple = input.match === "any" ? "" : query;
  const rows = await db.$queryRaw<{ id: string; slug: string; title: string; locale: string; visibility: KbVisibility; headline: string; rank: number }[]>`
    WITH q AS (
      SELECT CASE WHEN ${simple} = '' THEN websearch_to_tsquery("kb_text_search_config"(${locale}), ${query})
                  ELSE websearch_to_tsquery('simple', ${simple}) || websearch_to_tsquery("kb_text_search_config"(${locale}), ${query}) END AS query
    ),
    candidates AS (
      SELECT a."id", a."slug", a."title", a."locale", a."visibility", a."updatedAt", a."body", a."translationKey",
             CASE WHEN ${input.audience} = 'public' THEN a."translationKey" ELSE a."id" END AS "groupKey",
             coalesce(array_position(CAST(${locales} AS text[]), a."locale"), 1000) AS "preference",
             ts_rank_cd(a."searchVector", q.query, 32) AS "rank"
        FROM "KbArticle" a, q
       WHERE a."searchVector" @@ q.query
         AND a."visibility" = ANY(CAST(${visibilities} AS "KbVisibility"[]))
    ),
    -- Public: one language version per article, the viewer's first language it has (else the original).
    hits AS (
      SELECT DISTINCT ON ("groupKey") * FROM candidates
       ORDER BY "groupKey", "preference", ("id" = "translationKey") DESC, "id"
    )
    SELECT h."id", h."slug", h."title", h."locale", h."visibility", h."rank",
           ts_headline("kb_text_search_config"(h."locale"),
             regexp_replace(left(h."body", 20000), '[#*_\`>|]|\\[|\\]|\\((https?://|/)[^)]*\\)', ' ', 'g'),
             q.query, ${`StartSel=${START}, StopSel=${STOP}, MaxWords=28, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`}) AS "headline"
      FROM hits h, q
     ORDER BY h."rank" DESC, h."updatedAt" DESC, h."id"
     LIMIT ${take}`;
  const logged = input.log && (!input.log.ip || (await consumeRateLimit(`kb-search-log:${input.log.ip}`, SEARCH_LOGS_PER_IP_PER_HOUR, 3600)).allowed);
  if (input.log && logged) {
    await db.kbSearch.create({ data: { query: typed.toLowerCase(), resultCount: rows.length, source: input.log.source } });
  }
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    locale: row.locale,
    visibility: row.visibility,
    excerpt: excerptOf(row.headline),
  }));
}

// ───────────────────────────── "Was this helpful?" ─────────────────────────────

/** The key a visitor's votes are stored under: a keyed hash of their random cookie id, never the id. */
export function visitorKeyOf(visitorId: string): string {
  return createHmac("sha256", derivedKey("veridesk/help-centre-visitor/v1")).update(visitorId).digest("base64url");
}

/** One vote per visitor and article; voting again changes the vote. Only public articles take votes. */
export async function voteOnArticle(input: {
  articleId: string;
  visitorKey: string;
  helpful: boolean;
}): Promise<{ helpful: number; unhelpful: number } | null> {
  return db.$transaction(async (tx) => {
    const article = await tx.kbArticle.findUnique({ where: { id: input.articleId }, select: { visibility: true } });
    if (article?.visibility !== "public") return null;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`kb-vote:${input.articleId}:${input.visitorKey}`}, 0))`;
    const previous = await tx.kbArticleVote.findUnique({ where: { articleId_visitorKey: { articleId: input.articleId, visitorKey: input.visitorKey } } });
    if (previous?.helpful === input.helpful) {
      const counts = await tx.kbArticle.findUniqueOrThrow({ where: { id: input.articleId }, select: { helpfulCount: true, unhelpfulCount: true } });
      return { helpful: counts.helpfulCount, unhelpful: counts.unhelpfulCount };
    }
    await tx.kbArticleVote.upsert({
      where: { articleId_visitorKey: { articleId: input.articleId, visitorKey: input.visitorKey } },
      create: { articleId: input.articleId, visitorKey: input.visitorKey, helpful: input.helpful },
      update: { helpful: input.helpful },
    });
    const change = (helpful: boolean, by: number) => (helpful ? { helpfulCount: { increment: by } } : { unhelpfulCount: { increment: by } });
    const counts = await tx.kbArticle.update({
      where: { id: input.articleId },
      data: { ...change(input.helpful, 1), ...(previous ? change(previous.helpful, -1) : {}) },
      select: { helpfulCount: true, unhelpfulCount: true },
    });
    return { helpful: counts.helpfulCount, unhelpful: counts.unhelpfulCount };
  });
}
