-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "followUpToTicketId" UUID;

-- CreateIndex
CREATE INDEX "Ticket_followUpToTicketId_idx" ON "Ticket"("followUpToTicketId");

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_followUpToTicketId_fkey" FOREIGN KEY ("followUpToTicketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;
