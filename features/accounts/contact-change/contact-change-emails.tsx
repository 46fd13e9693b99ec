import "server-only";
import { Button, Link, Section, Text } from "@react-email/components";
import { EmailLayout, PRODUCT_NAME, renderEmail, styles, type RenderedEmail } from "@/features/verification/emails/layout";

/**
 * Security notices: emails that tell someone something changed on their account (email or
 * mobile changed, password changed, two-factor sign-in turned on or off), with what to do if it
 * wasn't them. They carry no code; the ones with a "this wasn't me" or reset link are queued as
 * sensitive (sealed in the outbox, wiped once sent), because the link is a credential.
 * Server only.
 */

export interface NoticeAction {
  label: string;
  href: string;
  /** "The button works for 7 days." */
  note?: string;
}

export interface SecurityNoticeProps {
  preview: string;
  heading: string;
  paragraphs: string[];
  action?: NoticeAction;
  footer: string[];
}

export function SecurityNoticeEmail({ preview, heading, paragraphs, action, footer }: SecurityNoticeProps) {
  return (
    <EmailLayout
      preview={preview}
      heading={heading}
      footer={
        <>
          {footer.map((line) => (
            <Text key={line} style={styles.small}>
              {line}
            </Text>
          ))}
        </>
      }
    >
      {paragraphs.map((paragraph) => (
        <Text key={paragraph} style={styles.text}>
          {paragraph}
        </Text>
      ))}
      {action ? (
        <>
          <Section style={{ margin: "8px 0 16px" }}>
            <Button href={action.href} style={styles.button}>
              {action.label}
            </Button>
          </Section>
          {action.note ? <Text style={styles.text}>{action.note}</Text> : null}
          <Text style={styles.small} data-skip-in-text="true">
            If the button does not work, copy this address into your browser:{" "}
            <Link href={action.href} style={styles.link}>
              {action.href}
            </Link>
          </Text>
        </>
      ) : null}
    </EmailLayout>
  );
}

export function renderSecurityNotice(subject: string, props: SecurityNoticeProps): Promise<RenderedEmail> {
  return renderEmail(subject, <SecurityNoticeEmail {...props} />);
}

const NO_REPLY_FOOTER = `This is an automatic security notice from ${PRODUCT_NAME}. We send it whatever the reason for the change.`;

/** To the OLD address (or, for a mobile change, the account's address): with the "this wasn't me" link. */
export function renderContactChangedNotice(input: {
  kind: "email" | "phone";
  /** Masked: "n•••@example.com", "+44 •••• •••123". */
  maskedNew: string;
  maskedOld: string;
  disputeLink: string;
  disputeLifetime: string;
  changedAt: Date;
}): Promise<RenderedEmail> {
  const what = input.kind === "email" ? "email address" : "mobile number";
  const when = `${input.changedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return renderSecurityNotice(`The ${what} of your ${PRODUCT_NAME} account was changed`, {
    preview: `Your ${what} was changed to ${input.maskedNew}. If this wasn't you, tell us now.`,
    heading: `Your ${what} was changed`,
    paragraphs: [
      `On ${when} the ${what} of your ${PRODUCT_NAME} account was changed from ${input.maskedOld} to ${input.maskedNew}.`,
      "If you made this change, there is nothing to do.",
      `If this wasn't you, use the button below: it freezes your account at once (nobody can use it, including whoever made the change), puts back your previous ${what}, and alerts our support staff, who will contact you.`,
    ],
    action: { label: "This wasn't me: freeze my account", href: input.disputeLink, note: `The button works for ${input.disputeLifetime}.` },
    footer: [NO_REPLY_FOOTER, "Never share this email: its button can freeze your account."],
  });
}

export function contactChangedSms(input: { kind: "email" | "phone"; disputeLink: string }): string {
  const what = input.kind === "email" ? "email address" : "mobile number";
  return `${PRODUCT_NAME}: the ${what} on your account was changed. If this wasn't you, freeze your account: ${input.disputeLink}`;
}

export function renderTwoFactorChangedNotice(input: {
  turnedOn: boolean;
  method: "totp" | "email" | "sms" | null;
  forgotPasswordLink: string;
}): Promise<RenderedEmail> {
  const methodText = { totp: "an authenticator app", email: "codes by email", sms: "codes by text message" } as const;
  const heading = input.turnedOn ? "Two-factor sign-in is on" : "Two-factor sign-in was turned off";
  return renderSecurityNotice(`${heading} for your ${PRODUCT_NAME} account`, {
    preview: heading,
    heading,
    paragraphs: input.turnedOn
      ? [
          `Signing in to ${PRODUCT_NAME} now takes your password and ${input.method ? methodText[input.method] : "a second step"}.`,
          "Keep your recovery codes somewhere safe: each one lets you in once if you lose your second step.",
        ]
      : [
          `Signing in to ${PRODUCT_NAME} now takes only your password.`,
          "If this wasn't you, someone knows your password: reset it now and contact our support.",
        ],
    action: input.turnedOn ? undefined : { label: "Reset my password", href: input.forgotPasswordLink },
    footer: [NO_REPLY_FOOTER],
  });
}
