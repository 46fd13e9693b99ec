/**
 * The line at the top of every reply email we send (as Zendesk does). The customer's answer is written
 * above it; features/tickets/inbound/quoted-reply.ts cuts everything from it down. Shared by the
 * outgoing email (features/tickets/reply-email/) and the inbound side, so the two never drift apart.
 */
export const REPLY_MARKER = "##- Please type your reply above this line -##";
