-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "attachmentIds" UUID[] DEFAULT ARRAY[]::UUID[];

-- AlterTable
ALTER TABLE "TicketAttachment" ADD COLUMN     "pendingUntil" TIMESTAMP(3),
ADD COLUMN     "storageKey" TEXT,
ADD COLUMN     "uploaderUserId" UUID,
ALTER COLUMN "messageId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "StoredFile" (
    "key" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "TicketAttachment_storageKey_key" ON "TicketAttachment"("storageKey");

-- CreateIndex
CREATE INDEX "TicketAttachment_uploaderUserId_idx" ON "TicketAttachment"("uploaderUserId");

-- CreateIndex
CREATE INDEX "TicketAttachment_pendingUntil_idx" ON "TicketAttachment"("pendingUntil");
