-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "expiresAt" TIMESTAMP(3),
ALTER COLUMN "maxAttempts" SET DEFAULT 95;

-- CreateIndex
CREATE INDEX "OutboxMessage_createdAt_idx" ON "OutboxMessage"("createdAt");

-- Messages still being retried under the old 8-try budget get the 3-day one.
UPDATE "OutboxMessage" SET "maxAttempts" = 95 WHERE "status" IN ('queued', 'sending') AND "maxAttempts" = 8;
