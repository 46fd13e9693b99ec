-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "senderName" TEXT;
