import "server-only";
import { Fragment } from "react";
import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import { render } from "@react-email/render";
import { styles } from "@/features/verification/emails/layout";
import { ticketReference } from "@/features/tickets/labels";
import { REPLY_MARKER } from "@/features/tickets/reply-marker";
import { truncateText } from "@/platform/text/schemas";

/**
 * The email an agent's public reply goes out as: HTML (react-email, the house styles) and a text part
 * written from the same data, both reading like a conversation:
 *
 *   ##- Please type your reply above this line -##      ← features/tickets/inbound/quoted-reply.ts cuts here
 *   Dana (Veridesk Support) replied to your request VD-1001: Printer on fire
 *   <the reply>
 *   Earlier in this conversation, newest first: each earlier PUBLIC message with its author and time
 *
 * Internal notes never reach this module: the caller passes public messages only, and this file
 * takes no message kind. Bodies are text; React escapes them in the HTML and line breaks become <br>.
 */

/** At most this many earlier messages are quoted; the rest are on the ticket. */
export const MAX_QUOTED_MESSAGES = 20;
/** A quoted message longer than this is cut (the whole of it is on the ticket). */
export const MAX_QUOTED_CHARACTERS = 4_000;

export interface QuotedMessage {
  authorName: string;
  createdAt: Date;
  body: string;
}

export interface ReplyEmailInput {
  ticketNumber: number;
  subject: string;
  /** "Dana" */
  agentName: string;
  /** "Veridesk Support": the display name of EMAIL_FROM. */
  teamName: string;
  body: string;
  sentAt: Date;
  /** Earlier public messages, in any order (they are shown newest first, at most MAX_QUOTED_MESSAGES). */
  earlier: readonly QuotedMessage[];
  /** How many earlier public messages the ticket has, when `earlier` holds only the newest of them. */
  earlierCount?: number;
  /** IANA zone for the times; UTC until people have their own (the zone's name is always shown). */
  timeZone?: string;
}

export interface RenderedReplyEmail {
  html: string;
  text: string;
}

/** The outbox's limit on a display name (platform/outbox/outbox.ts senderName). */
export const MAX_SENDER_NAME_LENGTH = 200;

/**
 * "Dana from Veridesk Support": the display name the reply is sent under (the address stays EMAIL_FROM's).
 * At most MAX_SENDER_NAME_LENGTH: a long agent name is shortened first, so the team stays readable.
 */
export function agentSenderName(agentName: string, teamName: string): string {
  const agent = agentName.replace(/\s+/g, " ").trim();
  const team = truncateText(teamName.replace(/\s+/g, " ").trim(), MAX_SENDER_NAME_LENGTH);
  if (!agent) return team;
  const joiner = " from ";
  const room = MAX_SENDER_NAME_LENGTH - joiner.length - team.length;
  // Below a few characters the agent part says nothing; the team alone is the honest name.
  if (room < 4) return team;
  return `${truncateText(agent, room)}${joiner}${team}`;
}

/** "Dana (Veridesk Support)": how an agent is named inside the email. */
export function agentAuthorName(agentName: string, teamName: string): string {
  const agent = agentName.replace(/\s+/g, " ").trim();
  return agent ? `${agent} (${teamName})` : teamName;
}

/** "Tue, 1 Dec 2026, 09:05 UTC". */
export function emailTime(at: Date, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
    timeZoneName: "short",
  }).format(at);
}

function quotedBody(body: string): string {
  const text = body.replace(/\r\n?/g, "\n").trim();
  if (text.length <= MAX_QUOTED_CHARACTERS) return text;
  // Never half a surrogate pair.
  const cut = Array.from(text.slice(0, MAX_QUOTED_CHARACTERS + 1))
    .slice(0, -1)
    .join("");
  return `${cut.trimEnd()} […]`;
}

interface Prepared {
  reference: string;
  intro: string;
  author: string;
  time: string;
  body: string;
  quoted: Array<{ author: string; time: string; body: string }>;
  older: number;
  footer: string;
}

function prepare(input: ReplyEmailInput): Prepared {
  const reference = ticketReference(input.ticketNumber);
  const zone = input.timeZone ?? "UTC";
  const author = agentAuthorName(input.agentName, input.teamName);
  const newestFirst = [...input.earlier].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const shown = newestFirst.slice(0, MAX_QUOTED_MESSAGES);
  return {
    reference,
    intro: `${author} replied to your request ${reference}: ${input.subject.replace(/\s+/g, " ").trim()}`,
    author,
    time: emailTime(input.sentAt, zone),
    body: input.body.replace(/\r\n?/g, "\n").trim(),
    quoted: shown.map((message) => ({ author: message.authorName, time: emailTime(message.createdAt, zone), body: quotedBody(message.body) })),
    older: Math.max(input.earlierCount ?? 0, newestFirst.length) - shown.length,
    footer: `Request ${reference}. Reply to this email to add to the conversation; keep "[${reference}]" in the subject.`,
  };
}

const RULE = "-".repeat(40);

const olderNote = (older: number) => `(${older} older ${older === 1 ? "message is" : "messages are"} on the request.)`;

function replyText(email: Prepared): string {
  const lines = [REPLY_MARKER, "", email.intro, "", `${email.author} · ${email.time}`, "", email.body, ""];
  if (email.quoted.length > 0) {
    lines.push(RULE, "Earlier in this conversation, newest first", "");
    for (const message of email.quoted) {
      lines.push(`${message.author} · ${message.time}`, ...message.body.split("\n").map((line) => (line ? `> ${line}` : ">")), "");
    }
    if (email.older > 0) lines.push(olderNote(email.older), "");
  }
  lines.push(RULE, email.footer);
  return `${lines.join("\n")}\n`;
}

const replyStyles = {
  container: { ...styles.container, maxWidth: "600px" },
  marker: { color: "#9ca3af", fontSize: "12px", lineHeight: "16px", margin: "0 0 16px" },
  author: { color: "#111827", fontSize: "15px", fontWeight: 600, lineHeight: "22px", margin: "0" },
  time: { color: "#6b7280", fontSize: "13px", lineHeight: "20px", margin: "0 0 12px" },
  earlierHeading: { color: "#374151", fontSize: "14px", fontWeight: 600, lineHeight: "20px", margin: "0 0 12px" },
  quote: { borderLeft: "3px solid #e5e7eb", margin: "0 0 16px", padding: "0 0 0 12px" },
  // Long unbroken words (links, log lines) wrap instead of widening the email on a phone.
  bodyText: { ...styles.text, overflowWrap: "break-word" as const, wordBreak: "break-word" as const },
  quotedText: { ...styles.text, color: "#4b5563", fontSize: "14px", margin: "0", overflowWrap: "break-word" as const, wordBreak: "break-word" as const },
};

/** Text with its line breaks kept: React escapes each line, <br> joins them. */
function Lines({ text }: { text: string }) {
  return (
    <>
      {text.split("\n").map((line, index) => (
        <Fragment key={index}>
          {index > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </>
  );
}

function ReplyEmail({ email }: { email: Prepared }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{email.body.slice(0, 140)}</Preview>
      <Body style={styles.body}>
        <Container style={replyStyles.container}>
          <Text style={replyStyles.marker}>{REPLY_MARKER}</Text>
          <Text style={styles.small}>{email.intro}</Text>
          <Section>
            <Text style={replyStyles.author}>{email.author}</Text>
            <Text style={replyStyles.time}>{email.time}</Text>
            <Text style={replyStyles.bodyText}>
              <Lines text={email.body} />
            </Text>
          </Section>
          {email.quoted.length > 0 ? (
            <Section>
              <Hr style={styles.hr} />
              <Text style={replyStyles.earlierHeading}>Earlier in this conversation, newest first</Text>
              {email.quoted.map((message, index) => (
                <Section key={index} style={replyStyles.quote}>
                  <Text style={replyStyles.author}>{message.author}</Text>
                  <Text style={replyStyles.time}>{message.time}</Text>
                  <Text style={replyStyles.quotedText}>
                    <Lines text={message.body} />
                  </Text>
                </Section>
              ))}
              {email.older > 0 ? <Text style={styles.small}>{olderNote(email.older)}</Text> : null}
            </Section>
          ) : null}
          <Hr style={styles.hr} />
          <Text style={styles.small}>{email.footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** The HTML and text parts of an agent's reply email. */
export async function renderReplyEmail(input: ReplyEmailInput): Promise<RenderedReplyEmail> {
  const email = prepare(input);
  return { html: await render(<ReplyEmail email={email} />), text: replyText(email) };
}
