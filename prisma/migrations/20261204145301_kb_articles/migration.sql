-- CreateEnum
CREATE TYPE "KbVisibility" AS ENUM ('draft', 'internal', 'public');

-- CreateTable
CREATE TABLE "KbCategory" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KbCategory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbArticle" (
    "id" UUID NOT NULL,
    "categoryId" UUID,
    "slug" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "translationKey" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "visibility" "KbVisibility" NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "publishedAt" TIMESTAMP(3),
    "authorId" UUID,
    "helpfulCount" INTEGER NOT NULL DEFAULT 0,
    "unhelpfulCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "searchVector" tsvector,

    CONSTRAINT "KbArticle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbArticleRevision" (
    "id" UUID NOT NULL,
    "articleId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "visibility" "KbVisibility" NOT NULL,
    "editedById" UUID,
    "editedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KbArticleRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbArticleVote" (
    "id" UUID NOT NULL,
    "articleId" UUID NOT NULL,
    "visitorKey" TEXT NOT NULL,
    "helpful" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KbArticleVote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbSearch" (
    "id" UUID NOT NULL,
    "query" TEXT NOT NULL,
    "resultCount" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KbSearch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KbCategory_slug_key" ON "KbCategory"("slug");

-- CreateIndex
CREATE INDEX "KbArticle_visibility_locale_idx" ON "KbArticle"("visibility", "locale");

-- CreateIndex
CREATE INDEX "KbArticle_searchVector_idx" ON "KbArticle" USING GIN ("searchVector");

-- CreateIndex
CREATE UNIQUE INDEX "KbArticle_locale_slug_key" ON "KbArticle"("locale", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "KbArticle_translationKey_locale_key" ON "KbArticle"("translationKey", "locale");

-- CreateIndex
CREATE UNIQUE INDEX "KbArticleRevision_articleId_version_key" ON "KbArticleRevision"("articleId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "KbArticleVote_articleId_visitorKey_key" ON "KbArticleVote"("articleId", "visitorKey");

-- CreateIndex
CREATE INDEX "KbSearch_createdAt_idx" ON "KbSearch"("createdAt");

-- AddForeignKey
ALTER TABLE "KbArticle" ADD CONSTRAINT "KbArticle_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "KbCategory"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KbArticleRevision" ADD CONSTRAINT "KbArticleRevision_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "KbArticle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KbArticleVote" ADD CONSTRAINT "KbArticleVote_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "KbArticle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full-text search of articles: the title weighs most. Words are indexed as written ('simple', so
-- product names and codes match exactly) and stemmed in the article's language.
CREATE FUNCTION "kb_text_search_config"(locale text) RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE split_part(lower(coalesce(locale, 'en')), '-', 1)
    WHEN 'en' THEN 'english' WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
    WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch' WHEN 'pt' THEN 'portuguese' WHEN 'sv' THEN 'swedish'
    WHEN 'da' THEN 'danish' WHEN 'nb' THEN 'norwegian' WHEN 'no' THEN 'norwegian' WHEN 'fi' THEN 'finnish'
    ELSE 'simple' END::regconfig
$$;

CREATE FUNCTION "kb_article_search_vector"(title text, body text, locale text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(title, '')), 'A')
      || setweight(to_tsvector("kb_text_search_config"(locale), coalesce(title, '')), 'A')
      || setweight(to_tsvector("kb_text_search_config"(locale), left(coalesce(body, ''), 500000)), 'B')
$$;

CREATE FUNCTION "kb_article_search_on_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchVector" := "kb_article_search_vector"(NEW."title", NEW."body", NEW."locale");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "KbArticle_search" BEFORE INSERT OR UPDATE OF "title", "body", "locale" ON "KbArticle"
  FOR EACH ROW EXECUTE FUNCTION "kb_article_search_on_write"();
