import { Button, Link, Section, Text } from "@react-email/components";
import { formatDuration } from "@/platform/text/durations";
import { CodeBlock, EmailLayout, PRODUCT_NAME, renderEmail, styles, type RenderedEmail } from "./layout";

/**
 * "Verify your email address": the registration email. It carries the code and, usually, a
 * one-click link. The link holds the code only in its #fragment, which browsers never send to
 * the server, so the code stays out of access logs while the page can still fill it in.
 */

export interface VerificationCodeEmailProps {
  code: string;
  codeLifetimeSeconds: number;
  /** `${publicBaseUrl()}/verify/email?token=…#code=…`; without it the email has the code only. */
  link?: string;
  linkLifetimeSeconds?: number;
}

/** The subject never contains the code: only bodies are sealed in the outbox. */
export const VERIFICATION_EMAIL_SUBJECT = `Verify your email address for ${PRODUCT_NAME}`;

export function VerificationCodeEmail({ code, codeLifetimeSeconds, link, linkLifetimeSeconds }: VerificationCodeEmailProps) {
  const codeLifetime = formatDuration(codeLifetimeSeconds, { style: "words" });
  return (
    <EmailLayout
      preview={`Your code to verify your email address. It expires in ${codeLifetime}.`}
      heading="Verify your email address"
      footer={
        <>
          <Text style={styles.small}>If this wasn&apos;t you, ignore this email. Nobody can use your address with {PRODUCT_NAME} without this code.</Text>
          <Text style={styles.small}>Never share this code. Our staff will never ask you for it.</Text>
        </>
      }
    >
      <Text style={styles.text}>Enter this code on the {PRODUCT_NAME} page where you signed up:</Text>
      <CodeBlock code={code} />
      <Text style={styles.text}>The code expires in {codeLifetime}.</Text>
      {link ? (
        <>
          <Section style={{ margin: "8px 0 16px" }}>
            <Button href={link} style={styles.button}>
              Verify my email address
            </Button>
          </Section>
          <Text style={styles.text}>
            The button works for {formatDuration(linkLifetimeSeconds ?? codeLifetimeSeconds, { style: "words" })}, in any browser.
          </Text>
          {/* Skipped in the plain-text part, which already shows the address after the button text. */}
          <Text style={styles.small} data-skip-in-text="true">
            If the button does not work, copy this address into your browser:{" "}
            <Link href={link} style={styles.link}>
              {link}
            </Link>
          </Text>
        </>
      ) : null}
    </EmailLayout>
  );
}

export function renderVerificationCodeEmail(props: VerificationCodeEmailProps): Promise<RenderedEmail> {
  return renderEmail(VERIFICATION_EMAIL_SUBJECT, <VerificationCodeEmail {...props} />);
}
