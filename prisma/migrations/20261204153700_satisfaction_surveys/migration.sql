-- CreateEnum
CREATE TYPE "SatisfactionRating" AS ENUM ('good', 'bad');

-- CreateEnum
CREATE TYPE "SurveyIdentityPath" AS ENUM ('self_verified', 'agent_checked', 'escalated', 'overridden', 'unverified');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "surveyOptOutAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SatisfactionSurvey" (
    "id" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "sentTo" TEXT NOT NULL,
    "requesterUserId" UUID,
    "agentId" UUID,
    "tier" "AgreementTier",
    "identityPath" "SurveyIdentityPath" NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "rating" "SatisfactionRating",
    "comment" TEXT,
    "ratedAt" TIMESTAMP(3),

    CONSTRAINT "SatisfactionSurvey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyOptOut" (
    "address" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyOptOut_pkey" PRIMARY KEY ("address")
);

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionSurvey_ticketId_key" ON "SatisfactionSurvey"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionSurvey_tokenHash_key" ON "SatisfactionSurvey"("tokenHash");

-- CreateIndex
CREATE INDEX "SatisfactionSurvey_sentAt_idx" ON "SatisfactionSurvey"("sentAt");

-- CreateIndex
CREATE INDEX "SatisfactionSurvey_agentId_sentAt_idx" ON "SatisfactionSurvey"("agentId", "sentAt");

-- AddForeignKey
ALTER TABLE "SatisfactionSurvey" ADD CONSTRAINT "SatisfactionSurvey_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A rating is final: once given, neither it nor its comment changes (features/satisfaction/surveys.ts
-- refuses a second rating first; this catches any other writer). A trigger, not a CHECK.
CREATE FUNCTION satisfaction_rating_is_final() RETURNS trigger AS $$
BEGIN
  -- Erasure of a customer (features/privacy/erasure.ts) may still remove the comment (set it to NULL).
  IF OLD."rating" IS NOT NULL AND (NEW."rating" IS DISTINCT FROM OLD."rating" OR NEW."ratedAt" IS DISTINCT FROM OLD."ratedAt"
                                   OR (NEW."comment" IS NOT NULL AND NEW."comment" IS DISTINCT FROM OLD."comment")) THEN
    RAISE EXCEPTION 'satisfaction rating already given' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "SatisfactionSurvey_rating_final" BEFORE UPDATE ON "SatisfactionSurvey"
  FOR EACH ROW EXECUTE FUNCTION satisfaction_rating_is_final();
