-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "slaPausedAt" TIMESTAMP(3);

-- Tickets already waiting on the customer when this is deployed are paused from now on.
UPDATE "Ticket" SET "slaPausedAt" = CURRENT_TIMESTAMP WHERE "status" = 'pending' AND "resolutionDueAt" IS NOT NULL AND "slaPausedAt" IS NULL;
