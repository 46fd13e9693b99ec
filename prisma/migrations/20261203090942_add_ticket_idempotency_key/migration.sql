-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "idempotencyKey" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_requesterUserId_idempotencyKey_key" ON "Ticket"("requesterUserId", "idempotencyKey");
