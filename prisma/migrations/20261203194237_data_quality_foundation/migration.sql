-- CreateEnum
CREATE TYPE "BackgroundJobStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "ChangeOperation" AS ENUM ('insert', 'update', 'delete');

-- CreateEnum
CREATE TYPE "CustomerImportStatus" AS ENUM ('uploaded', 'dry_running', 'previewed', 'committing', 'committed', 'undone', 'failed', 'discarded');

-- CreateEnum
CREATE TYPE "ImportRowOutcome" AS ENUM ('new', 'update', 'unchanged', 'skipped', 'flagged', 'duplicate');

-- CreateEnum
CREATE TYPE "ContactValidity" AS ENUM ('valid', 'doubtful', 'invalid');

-- CreateEnum
CREATE TYPE "SuggestionStatus" AS ENUM ('open', 'accepted', 'rejected', 'obsolete');

-- CreateEnum
CREATE TYPE "CampaignTargetStatus" AS ENUM ('pending', 'sent', 'skipped', 'verified');

-- AlterTable
ALTER TABLE "CustomerEmail" ADD COLUMN     "validatedAt" TIMESTAMP(3),
ADD COLUMN     "validity" "ContactValidity",
ADD COLUMN     "validityReasons" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "validitySuggestion" TEXT;

-- AlterTable
ALTER TABLE "CustomerPhone" ADD COLUMN     "lineType" TEXT,
ADD COLUMN     "validatedAt" TIMESTAMP(3),
ADD COLUMN     "validity" "ContactValidity",
ADD COLUMN     "validityReasons" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "BackgroundJob" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "BackgroundJobStatus" NOT NULL DEFAULT 'queued',
    "payload" JSONB NOT NULL,
    "checkpoint" JSONB,
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER,
    "progress" JSONB,
    "dedupeKey" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "runAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackgroundJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeSet" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" TIMESTAMP(3),
    "undoneById" UUID,
    "undoReport" JSONB,

    CONSTRAINT "ChangeSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeSetEntry" (
    "id" BIGSERIAL NOT NULL,
    "changeSetId" UUID NOT NULL,
    "tableName" TEXT NOT NULL,
    "rowId" UUID NOT NULL,
    "operation" "ChangeOperation" NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "ChangeSetEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerImport" (
    "id" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileKey" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "encoding" TEXT NOT NULL,
    "delimiter" TEXT NOT NULL,
    "headers" TEXT[],
    "mapping" JSONB,
    "status" "CustomerImportStatus" NOT NULL DEFAULT 'uploaded',
    "rowCount" INTEGER,
    "summary" JSONB,
    "dryRunJobId" UUID,
    "commitJobId" UUID,
    "changeSetId" UUID,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerImportRow" (
    "importId" UUID NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "outcome" "ImportRowOutcome" NOT NULL,
    "customerId" UUID,
    "matchedBy" TEXT,
    "values" JSONB NOT NULL,
    "issues" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "CustomerImportRow_pkey" PRIMARY KEY ("importId","rowNumber")
);

-- CreateTable
CREATE TABLE "ValidationRun" (
    "id" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "startedById" UUID,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "counts" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "ValidationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CleansingSuggestion" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "customerId" UUID NOT NULL,
    "emailId" UUID,
    "phoneId" UUID,
    "otherCustomerId" UUID,
    "currentValue" TEXT,
    "proposedValue" TEXT,
    "targetKey" TEXT NOT NULL,
    "status" "SuggestionStatus" NOT NULL DEFAULT 'open',
    "runId" UUID,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CleansingSuggestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationCampaign" (
    "id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "criteria" JSONB NOT NULL,
    "jobId" UUID,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VerificationCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationCampaignTarget" (
    "id" BIGSERIAL NOT NULL,
    "campaignId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "emailId" UUID,
    "phoneId" UUID,
    "status" "CampaignTargetStatus" NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "sentAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),

    CONSTRAINT "VerificationCampaignTarget_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BackgroundJob_dedupeKey_key" ON "BackgroundJob"("dedupeKey");

-- CreateIndex
CREATE INDEX "BackgroundJob_status_runAfter_idx" ON "BackgroundJob"("status", "runAfter");

-- CreateIndex
CREATE INDEX "BackgroundJob_kind_createdAt_idx" ON "BackgroundJob"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "ChangeSet_kind_createdAt_idx" ON "ChangeSet"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "ChangeSetEntry_changeSetId_id_idx" ON "ChangeSetEntry"("changeSetId", "id");

-- CreateIndex
CREATE INDEX "ChangeSetEntry_tableName_rowId_idx" ON "ChangeSetEntry"("tableName", "rowId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerImport_changeSetId_key" ON "CustomerImport"("changeSetId");

-- CreateIndex
CREATE INDEX "CustomerImport_createdAt_idx" ON "CustomerImport"("createdAt");

-- CreateIndex
CREATE INDEX "CustomerImportRow_importId_outcome_idx" ON "CustomerImportRow"("importId", "outcome");

-- CreateIndex
CREATE UNIQUE INDEX "ValidationRun_jobId_key" ON "ValidationRun"("jobId");

-- CreateIndex
CREATE INDEX "ValidationRun_finishedAt_idx" ON "ValidationRun"("finishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CleansingSuggestion_targetKey_key" ON "CleansingSuggestion"("targetKey");

-- CreateIndex
CREATE INDEX "CleansingSuggestion_status_kind_idx" ON "CleansingSuggestion"("status", "kind");

-- CreateIndex
CREATE INDEX "CleansingSuggestion_customerId_idx" ON "CleansingSuggestion"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationCampaign_jobId_key" ON "VerificationCampaign"("jobId");

-- CreateIndex
CREATE INDEX "VerificationCampaignTarget_campaignId_status_idx" ON "VerificationCampaignTarget"("campaignId", "status");

-- CreateIndex
CREATE INDEX "VerificationCampaignTarget_emailId_idx" ON "VerificationCampaignTarget"("emailId");

-- CreateIndex
CREATE INDEX "VerificationCampaignTarget_phoneId_idx" ON "VerificationCampaignTarget"("phoneId");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationCampaignTarget_campaignId_emailId_key" ON "VerificationCampaignTarget"("campaignId", "emailId");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationCampaignTarget_campaignId_phoneId_key" ON "VerificationCampaignTarget"("campaignId", "phoneId");

-- CreateIndex
CREATE INDEX "CustomerEmail_validity_idx" ON "CustomerEmail"("validity");

-- CreateIndex
CREATE INDEX "CustomerPhone_validity_idx" ON "CustomerPhone"("validity");

-- AddForeignKey
ALTER TABLE "ChangeSetEntry" ADD CONSTRAINT "ChangeSetEntry_changeSetId_fkey" FOREIGN KEY ("changeSetId") REFERENCES "ChangeSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerImportRow" ADD CONSTRAINT "CustomerImportRow_importId_fkey" FOREIGN KEY ("importId") REFERENCES "CustomerImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationCampaignTarget" ADD CONSTRAINT "VerificationCampaignTarget_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "VerificationCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
