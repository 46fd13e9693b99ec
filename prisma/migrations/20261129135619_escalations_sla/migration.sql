-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN     "reassignedToId" UUID,
ADD COLUMN     "slaEvent" TEXT;

-- AlterTable
ALTER TABLE "IdentityCheck" ADD COLUMN     "conversationChannel" "TicketChannel";

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "firstResponseDueAt" TIMESTAMP(3),
ADD COLUMN     "resolutionDueAt" TIMESTAMP(3),
ADD COLUMN     "slaScope" TEXT;

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "scope" TEXT NOT NULL,
    "firstResponseMinutes" INTEGER NOT NULL,
    "resolutionMinutes" INTEGER NOT NULL,
    "warnBeforeMinutes" INTEGER NOT NULL DEFAULT 0,
    "businessHoursOnly" BOOLEAN NOT NULL DEFAULT false,
    "businessDayStartMinute" INTEGER NOT NULL DEFAULT 540,
    "businessDayEndMinute" INTEGER NOT NULL DEFAULT 1020,
    "businessDays" INTEGER[] DEFAULT ARRAY[1, 2, 3, 4, 5]::INTEGER[],
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlaPolicy_pkey" PRIMARY KEY ("scope")
);

-- CreateTable
CREATE TABLE "AppSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppSetting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Escalation_ticketId_slaEvent_key" ON "Escalation"("ticketId", "slaEvent");

-- CreateIndex
CREATE INDEX "Ticket_firstResponseDueAt_idx" ON "Ticket"("firstResponseDueAt");

-- CreateIndex
CREATE INDEX "Ticket_resolutionDueAt_idx" ON "Ticket"("resolutionDueAt");

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_reassignedToId_fkey" FOREIGN KEY ("reassignedToId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Default SLA targets (minutes), editable by supervisors: a fresh install escalates from day one.
INSERT INTO "SlaPolicy" ("scope", "firstResponseMinutes", "resolutionMinutes", "warnBeforeMinutes", "updatedAt") VALUES
  ('premium', 60, 480, 15, CURRENT_TIMESTAMP),
  ('standard', 240, 1440, 30, CURRENT_TIMESTAMP),
  ('basic', 480, 2880, 60, CURRENT_TIMESTAMP),
  ('no_agreement', 1440, 4320, 120, CURRENT_TIMESTAMP)
ON CONFLICT ("scope") DO NOTHING;
