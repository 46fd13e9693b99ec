-- CreateEnum
CREATE TYPE "TicketPresenceState" AS ENUM ('viewing', 'replying');

-- CreateTable
CREATE TABLE "TicketPresence" (
    "ticketId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "state" "TicketPresenceState" NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TicketPresence_pkey" PRIMARY KEY ("ticketId","userId")
);

-- CreateIndex
CREATE INDEX "TicketPresence_userId_idx" ON "TicketPresence"("userId");

-- CreateIndex
CREATE INDEX "TicketPresence_expiresAt_idx" ON "TicketPresence"("expiresAt");

-- AddForeignKey
ALTER TABLE "TicketPresence" ADD CONSTRAINT "TicketPresence_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketPresence" ADD CONSTRAINT "TicketPresence_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Live queue and ticket pages (features/tickets/live/): every committed change to a ticket, its
-- messages or who is looking at it is announced on one channel, read by one LISTEN connection per
-- app instance (platform/realtime/). Triggers rather than calls in the services, so that no code path
-- (desk, portal, inbound email, phone tickets, escalations, the SLA job, a future one) can forget it;
-- pg_notify inside the writing transaction is delivered only if and when it commits. The payload is
-- small (ticket id, change kind, transaction id as version): listeners re-read what they show, so
-- nothing private travels on the channel. Identical payloads in one transaction are sent once.
CREATE FUNCTION "notify_ticket_event"(ticket_id uuid, change text) RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify('veridesk_ticket_events', json_build_object('t', ticket_id, 'k', change, 'v', pg_current_xact_id()::text)::text);
$$;

CREATE FUNCTION "ticket_events_on_ticket"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "notify_ticket_event"(NEW."id", 'created');
  -- The search trigger rewrites searchVector when a message is added: that alone is no change to show.
  ELSIF (to_jsonb(OLD) - 'searchVector') IS DISTINCT FROM (to_jsonb(NEW) - 'searchVector') THEN
    PERFORM "notify_ticket_event"(NEW."id", 'updated');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Ticket_events" AFTER INSERT OR UPDATE ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "ticket_events_on_ticket"();

CREATE FUNCTION "ticket_events_on_message"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM "notify_ticket_event"(NEW."ticketId", CASE WHEN NEW."kind" = 'internal_note' THEN 'note' ELSE 'delivery' END);
  ELSIF NEW."kind" = 'internal_note' THEN
    PERFORM "notify_ticket_event"(NEW."ticketId", 'note');
  -- A public message with no staff author: the customer wrote it (portal, email); else an agent's reply.
  ELSIF NEW."authorUserId" IS NULL OR EXISTS (SELECT 1 FROM "User" u WHERE u."id" = NEW."authorUserId" AND u."role" = 'customer') THEN
    PERFORM "notify_ticket_event"(NEW."ticketId", 'customer_message');
  ELSE
    PERFORM "notify_ticket_event"(NEW."ticketId", 'staff_reply');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "TicketMessage_events" AFTER INSERT OR UPDATE ON "TicketMessage"
  FOR EACH ROW EXECUTE FUNCTION "ticket_events_on_message"();

CREATE FUNCTION "ticket_events_on_presence"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "notify_ticket_event"(COALESCE(NEW."ticketId", OLD."ticketId"), 'presence');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "TicketPresence_events" AFTER INSERT OR UPDATE OR DELETE ON "TicketPresence"
  FOR EACH ROW EXECUTE FUNCTION "ticket_events_on_presence"();
