-- CreateTable
CREATE TABLE "SmsOptOut" (
    "id" UUID NOT NULL,
    "e164" TEXT NOT NULL,
    "optedOutAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SmsOptOut_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundSms" (
    "id" UUID NOT NULL,
    "messageSid" TEXT NOT NULL,
    "fromE164" TEXT NOT NULL,
    "toE164" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "keyword" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundSms_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SmsOptOut_e164_key" ON "SmsOptOut"("e164");

-- CreateIndex
CREATE UNIQUE INDEX "InboundSms_messageSid_key" ON "InboundSms"("messageSid");

-- CreateIndex
CREATE INDEX "InboundSms_fromE164_receivedAt_idx" ON "InboundSms"("fromE164", "receivedAt");
