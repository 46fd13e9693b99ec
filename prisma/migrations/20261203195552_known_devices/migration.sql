-- AlterEnum
ALTER TYPE "ChallengePurpose" ADD VALUE 'new_device_sign_in';

-- AlterTable
ALTER TABLE "AuthSession" ADD COLUMN     "knownDeviceId" UUID;

-- CreateTable
CREATE TABLE "KnownDevice" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "idHash" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastIp" TEXT,
    "browser" TEXT,

    CONSTRAINT "KnownDevice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KnownDevice_userId_idHash_key" ON "KnownDevice"("userId", "idHash");

-- CreateIndex
CREATE INDEX "AuthSession_knownDeviceId_idx" ON "AuthSession"("knownDeviceId");

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_knownDeviceId_fkey" FOREIGN KEY ("knownDeviceId") REFERENCES "KnownDevice"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KnownDevice" ADD CONSTRAINT "KnownDevice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
