-- CreateTable
CREATE TABLE "ContactChange" (
    "id" UUID NOT NULL,
    "auditEventId" BIGINT NOT NULL,
    "userId" UUID NOT NULL,
    "fromValue" TEXT NOT NULL,
    "toValue" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ContactChange_auditEventId_key" ON "ContactChange"("auditEventId");

-- CreateIndex
CREATE INDEX "ContactChange_userId_idx" ON "ContactChange"("userId");

-- AddForeignKey
ALTER TABLE "ContactChange" ADD CONSTRAINT "ContactChange_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
