-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "TicketMessage" ADD COLUMN     "authorApiTokenId" UUID;

-- CreateTable
CREATE TABLE "ApiIdempotencyKey" (
    "tokenId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" INTEGER,
    "body" TEXT,
    "headers" JSONB,
    "lockedUntil" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiIdempotencyKey_pkey" PRIMARY KEY ("tokenId","key")
);

-- CreateIndex
CREATE INDEX "ApiIdempotencyKey_expiresAt_idx" ON "ApiIdempotencyKey"("expiresAt");

-- AddForeignKey
ALTER TABLE "TicketMessage" ADD CONSTRAINT "TicketMessage_authorApiTokenId_fkey" FOREIGN KEY ("authorApiTokenId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A ticket's version moves on with every UPDATE that changes it, whoever makes it (Prisma, raw SQL,
-- another trigger): the REST API's ETag, checked by If-Match. Rewriting the same values, the search
-- trigger's searchVector and Prisma's updatedAt stamp alone are no change (as for the live events).
-- Written by hand: Prisma cannot express triggers.
CREATE FUNCTION "ticket_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'searchVector' - 'updatedAt' - 'version') IS DISTINCT FROM (to_jsonb(OLD) - 'searchVector' - 'updatedAt' - 'version') THEN
    NEW."version" := OLD."version" + 1;
  ELSE
    NEW."version" := OLD."version";
  END IF;
  RETURN NEW;
END;
$$;

-- "Ticket_version" sorts after "Ticket_search", so it sees the row as that trigger left it.
CREATE TRIGGER "Ticket_version" BEFORE UPDATE ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "ticket_bump_version"();

-- A public message written through the API (authorApiTokenId, no author account) is staff's reply,
-- not the customer's: the live events say so. Otherwise as in the live_ticket_events migration.
CREATE OR REPLACE FUNCTION "ticket_events_on_message"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM "notify_ticket_event"(NEW."ticketId", CASE WHEN NEW."kind" = 'internal_note' THEN 'note' ELSE 'delivery' END);
  ELSIF NEW."kind" = 'internal_note' THEN
    PERFORM "notify_ticket_event"(NEW."ticketId", 'note');
  ELSIF NEW."authorApiTokenId" IS NOT NULL THEN
    PERFORM "notify_ticket_event"(NEW."ticketId", 'staff_reply');
  -- A public message with no staff author: the customer wrote it (portal, email); else an agent's reply.
  ELSIF NEW."authorUserId" IS NULL OR EXISTS (SELECT 1 FROM "User" u WHERE u."id" = NEW."authorUserId" AND u."role" = 'customer') THEN
    PERFORM "notify_ticket_event"(NEW."ticketId", 'customer_message');
  ELSE
    PERFORM "notify_ticket_event"(NEW."ticketId", 'staff_reply');
  END IF;
  RETURN NULL;
END;
$$;
