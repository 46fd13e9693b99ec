-- CreateEnum
CREATE TYPE "PendingChangeKind" AS ENUM ('email', 'phone', 'two_factor_off', 'postal_address');

-- CreateEnum
CREATE TYPE "PendingChangeStatus" AS ENUM ('pending', 'approved', 'refused', 'cancelled');

-- AlterEnum
ALTER TYPE "ChallengePurpose" ADD VALUE 'change_confirmation';

-- AlterTable
ALTER TABLE "InboundSms" ADD COLUMN     "handledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "postalAddress" TEXT;

-- CreateTable
CREATE TABLE "PendingChange" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" "PendingChangeKind" NOT NULL,
    "payload" JSONB NOT NULL,
    "summary" TEXT NOT NULL,
    "mobileE164" TEXT NOT NULL,
    "challengeId" UUID,
    "status" "PendingChangeStatus" NOT NULL DEFAULT 'pending',
    "requestIp" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "textSentAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "decidedVia" TEXT,

    CONSTRAINT "PendingChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PendingChange_userId_status_idx" ON "PendingChange"("userId", "status");

-- CreateIndex
CREATE INDEX "PendingChange_mobileE164_status_idx" ON "PendingChange"("mobileE164", "status");

-- AddForeignKey
ALTER TABLE "PendingChange" ADD CONSTRAINT "PendingChange_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One pending change per account and kind: a new request supersedes the old one first.
CREATE UNIQUE INDEX "PendingChange_one_pending_per_kind" ON "PendingChange"("userId", "kind") WHERE "status" = 'pending';
