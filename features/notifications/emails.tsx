import { Button, Section, Text } from "@react-email/components";
import { EmailLayout, PRODUCT_NAME, renderEmail, styles, type RenderedEmail } from "@/features/verification/emails/layout";
import { ticketReference } from "@/features/tickets/labels";

/**
 * The notification emails (HTML and text, through react-email): the customer's "we received your
 * request", and the staff notices (assigned to you, customer replied, escalation, SLA breach).
 * Server code, without "server-only" because the SLA job (run by scripts too) renders them.
 */

/** Longest excerpt of a message quoted in a notice: enough to triage, not the whole thread. */
export const EXCERPT_LENGTH = 500;

export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length > length ? `${clean.slice(0, length - 1)}…` : clean;
}

function Paragraphs({ lines }: { lines: readonly string[] }) {
  return (
    <>
      {lines.map((line) => (
        <Text key={line} style={styles.text}>
          {line}
        </Text>
      ))}
    </>
  );
}

function Quote({ text }: { text: string }) {
  return (
    <Section style={{ borderLeft: "3px solid #d1d5db", margin: "0 0 16px", padding: "0 0 0 12px" }}>
      <Text style={{ ...styles.text, color: "#4b5563", whiteSpace: "pre-wrap" as const }}>{text}</Text>
    </Section>
  );
}

function Action({ label, href }: { label: string; href: string }) {
  return (
    <Section style={{ margin: "8px 0 16px" }}>
      <Button href={href} style={styles.button}>
        {label}
      </Button>
    </Section>
  );
}

export interface AcknowledgementInput {
  ticketNumber: number;
  /** The subject the email carries ("[VD-1001] Printer on fire", or "Re: …" when answering an email). */
  subject: string;
  /** Null for an emailed request: its subject is the sender's text, not echoed. */
  ticketSubject: string | null;
  requesterName: string | null;
  channel: "web" | "email" | "phone" | "chat";
  /** The customer's own words, when the request was written (portal, email). */
  request: string | null;
  /** The ticket in the portal, for a requester with a portal account. */
  portalLink: string | null;
}

const HOW_RECEIVED = { web: "on our support portal", email: "by email", phone: "on the phone", chat: "in a chat" } as const;

export function renderTicketAcknowledgement(input: AcknowledgementInput): Promise<RenderedEmail> {
  const reference = ticketReference(input.ticketNumber);
  const greeting = input.requesterName ? `Hello ${input.requesterName},` : "Hello,";
  return renderEmail(
    input.subject,
    <EmailLayout
      preview={`We received your request. Your ticket number is ${reference}.`}
      heading={`We received your request (${reference})`}
      footer={
        <>
          <Text style={styles.small}>Reply to this email to add to your request: your answer goes to ticket {reference}. Keep the number in the subject.</Text>
          <Text style={styles.small}>This is an automatic acknowledgement from {PRODUCT_NAME}; a person will answer you.</Text>
        </>
      }
    >
      <Paragraphs
        lines={[
          greeting,
          input.ticketSubject === null
            ? `Thank you for contacting us ${HOW_RECEIVED[input.channel]}. We have opened ticket ${reference}.`
            : `Thank you for contacting us ${HOW_RECEIVED[input.channel]}. We have opened ticket ${reference}: “${input.ticketSubject}”.`,
          "Our team will answer as soon as they can. There is no need to write again in the meantime.",
        ]}
      />
      {input.request ? <Quote text={excerpt(input.request, 2_000)} /> : null}
      {input.portalLink ? <Action label={`See ticket ${reference}`} href={input.portalLink} /> : null}
    </EmailLayout>,
  );
}

export interface StaffNoticeInput {
  subject: string;
  heading: string;
  lines: string[];
  quote?: string | null;
  ticketNumber: number;
  ticketLink: string;
  preferencesLink: string;
}

export function renderStaffNotice(input: StaffNoticeInput): Promise<RenderedEmail> {
  const reference = ticketReference(input.ticketNumber);
  return renderEmail(
    input.subject,
    <EmailLayout
      preview={input.lines[0] ?? input.heading}
      heading={input.heading}
      footer={
        <>
          <Text style={styles.small}>
            You get this email because of your notification settings in {PRODUCT_NAME}. Change them on your account page: {input.preferencesLink}
          </Text>
          <Text style={styles.small}>Answer on the ticket itself: replies to this notice are not read.</Text>
        </>
      }
    >
      <Paragraphs lines={input.lines} />
      {input.quote ? <Quote text={excerpt(input.quote)} /> : null}
      <Action label={`Open ${reference}`} href={input.ticketLink} />
    </EmailLayout>,
  );
}
