-- CreateEnum
CREATE TYPE "InboundEmailStatus" AS ENUM ('accepted', 'held_unverified', 'rejected');

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "searchVector" tsvector;

-- AlterTable
ALTER TABLE "TicketMessage" ADD COLUMN     "deliveryDetail" TEXT;

-- CreateTable
CREATE TABLE "TicketAttachment" (
    "id" UUID NOT NULL,
    "messageId" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CannedReply" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CannedReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundEmail" (
    "id" UUID NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "fromName" TEXT,
    "toAddresses" TEXT[],
    "subject" TEXT NOT NULL,
    "messageId" TEXT,
    "inReplyTo" TEXT,
    "references" TEXT[],
    "textBody" TEXT NOT NULL,
    "authResults" JSONB NOT NULL,
    "status" "InboundEmailStatus" NOT NULL,
    "heldReason" TEXT,
    "customerId" UUID,
    "ticketId" UUID,
    "ticketMessageId" UUID,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "InboundEmail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookReceipt" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TicketAttachment_messageId_idx" ON "TicketAttachment"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "CannedReply_title_key" ON "CannedReply"("title");

-- CreateIndex
CREATE UNIQUE INDEX "InboundEmail_messageId_key" ON "InboundEmail"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "InboundEmail_ticketMessageId_key" ON "InboundEmail"("ticketMessageId");

-- CreateIndex
CREATE INDEX "InboundEmail_status_receivedAt_idx" ON "InboundEmail"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundEmail_fromAddress_idx" ON "InboundEmail"("fromAddress");

-- CreateIndex
CREATE INDEX "WebhookReceipt_receivedAt_idx" ON "WebhookReceipt"("receivedAt");

-- AddForeignKey
ALTER TABLE "TicketAttachment" ADD CONSTRAINT "TicketAttachment_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "TicketMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundEmail" ADD CONSTRAINT "InboundEmail_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundEmail" ADD CONSTRAINT "InboundEmail_ticketMessageId_fkey" FOREIGN KEY ("ticketMessageId") REFERENCES "TicketMessage"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Full-text search over subject, requester and every message body (agents search notes too).
-- Subject weighs most, then requester, then bodies. Addresses are also indexed split at
-- "@", "." and "+" so that "northwind" or "maya" finds maya.patel@northwind.example.
CREATE FUNCTION "ticket_search_vector"(subject text, requester_name text, requester_address text, bodies text)
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(subject, '')), 'A')
      || setweight(to_tsvector('english', coalesce(subject, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(requester_name, '') || ' ' || coalesce(requester_address, '')
           || ' ' || regexp_replace(coalesce(requester_address, ''), '[@.+_-]', ' ', 'g')), 'B')
      || setweight(to_tsvector('english', left(coalesce(bodies, ''), 200000)), 'C')
$$;

CREATE FUNCTION "ticket_search_on_ticket"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchVector" := "ticket_search_vector"(NEW."subject", NEW."requesterName", NEW."requesterAddress",
    (SELECT string_agg(m."body", ' ' ORDER BY m."createdAt") FROM "TicketMessage" m WHERE m."ticketId" = NEW."id"));
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Ticket_search" BEFORE INSERT OR UPDATE OF "subject", "requesterName", "requesterAddress" ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "ticket_search_on_ticket"();

CREATE FUNCTION "ticket_search_on_message"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  affected uuid := COALESCE(NEW."ticketId", OLD."ticketId");
BEGIN
  UPDATE "Ticket" t SET "searchVector" = "ticket_search_vector"(t."subject", t."requesterName", t."requesterAddress",
    (SELECT string_agg(m."body", ' ' ORDER BY m."createdAt") FROM "TicketMessage" m WHERE m."ticketId" = affected))
  WHERE t."id" = affected;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "TicketMessage_search" AFTER INSERT OR DELETE OR UPDATE OF "body" ON "TicketMessage"
  FOR EACH ROW EXECUTE FUNCTION "ticket_search_on_message"();

UPDATE "Ticket" t SET "searchVector" = "ticket_search_vector"(t."subject", t."requesterName", t."requesterAddress",
  (SELECT string_agg(m."body", ' ' ORDER BY m."createdAt") FROM "TicketMessage" m WHERE m."ticketId" = t."id"));

CREATE INDEX "Ticket_searchVector_idx" ON "Ticket" USING GIN ("searchVector");
