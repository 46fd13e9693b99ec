import { Button, Link, Section, Text } from "@react-email/components";
import { EmailLayout, PRODUCT_NAME, renderEmail, styles, type RenderedEmail } from "@/features/verification/emails/layout";
import { ticketReference } from "@/features/tickets/labels";

/**
 * The satisfaction survey email (react-email, HTML and text): one-click Good / Bad links that open
 * a confirmation page (opening records nothing: mail scanners follow links), and an unsubscribe link.
 */
export interface SurveyEmailInput {
  ticketNumber: number;
  ticketSubject: string;
  requesterName: string | null;
  goodLink: string;
  badLink: string;
  unsubscribeLink: string;
  validDays: number;
}

export function renderSurveyEmail(input: SurveyEmailInput): Promise<RenderedEmail> {
  const reference = ticketReference(input.ticketNumber);
  return renderEmail(
    `[${reference}] How did we do?`,
    <EmailLayout
      preview={`Your request ${reference} is solved. How did we do?`}
      heading={`How did we do on ${reference}?`}
      footer={
        <>
          <Text style={styles.small}>
            The links work for {input.validDays} days and only for this ticket. You may rate once; the page lets you add a comment.
          </Text>
          <Text style={styles.small}>
            Don't want these questions? <Link href={input.unsubscribeLink}>Stop satisfaction surveys</Link>. This is an automatic message from {PRODUCT_NAME}.
          </Text>
        </>
      }
    >
      <Text style={styles.text}>{input.requesterName ? `Hello ${input.requesterName},` : "Hello,"}</Text>
      <Text style={styles.text}>We marked your request “{input.ticketSubject}” as solved. How was our help?</Text>
      <Section style={{ margin: "8px 0 16px" }}>
        <Button href={input.goodLink} style={{ ...styles.button, marginRight: "12px" }}>
          Good
        </Button>
        <Button href={input.badLink} style={{ ...styles.button, backgroundColor: "#475569" }}>
          Bad
        </Button>
      </Section>
    </EmailLayout>,
  );
}
