-- CreateTable
CREATE TABLE "KbSuggestionOpen" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "formKey" UUID NOT NULL,
    "articleId" UUID NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KbSuggestionOpen_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KbSuggestionOpen_openedAt_idx" ON "KbSuggestionOpen"("openedAt");

-- CreateIndex
CREATE UNIQUE INDEX "KbSuggestionOpen_userId_formKey_articleId_key" ON "KbSuggestionOpen"("userId", "formKey", "articleId");
