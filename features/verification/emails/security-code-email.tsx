import { Button, Link, Section, Text } from "@react-email/components";
import type { ChallengePurpose } from "@/platform/db/generated/prisma/enums";
import { formatDuration } from "@/platform/text/durations";
import { CodeBlock, EmailLayout, PRODUCT_NAME, renderEmail, styles, type RenderedEmail } from "./layout";

/**
 * One template for every code that guards an account action (two-factor sign-in, password
 * reset, email or phone change) and for the code an agent sends to confirm a caller. Only the
 * wording changes with the purpose; the code is never in the subject.
 */

export type SecurityCodePurpose = Extract<
  ChallengePurpose,
  | "sign_in_second_factor"
  | "new_device_sign_in"
  | "two_factor_setup"
  | "password_reset"
  | "email_change"
  | "phone_change"
  | "caller_verification"
  | "contact_verification"
>;

interface Wording {
  subject: string;
  heading: string;
  intro: string;
  /** What to do if the person did not ask for this code. */
  ifNotYou: string;
  /** Who may see the code. */
  sharing: string;
}

const NEVER_SHARE = `Never share this code. ${PRODUCT_NAME} staff will never ask you for it.`;

const WORDING: Record<SecurityCodePurpose, Wording> = {
  sign_in_second_factor: {
    subject: `Your ${PRODUCT_NAME} sign-in code`,
    heading: "Your sign-in code",
    intro: `Enter this code to finish signing in to ${PRODUCT_NAME}:`,
    ifNotYou: "If this wasn't you, someone may know your password: change it now. Without this code they cannot sign in.",
    sharing: NEVER_SHARE,
  },
  new_device_sign_in: {
    subject: `Your ${PRODUCT_NAME} code for a new sign-in`,
    heading: "Signing in from a new browser",
    intro: `Someone signed in to your ${PRODUCT_NAME} account with your password from a browser it has not used before. Enter this code to finish signing in:`,
    ifNotYou: "If this wasn't you, someone knows your password: change it now. Without this code they cannot sign in.",
    sharing: NEVER_SHARE,
  },
  two_factor_setup: {
    subject: `Turn on ${PRODUCT_NAME} two-factor sign-in`,
    heading: "Confirm two-factor sign-in",
    intro: `Enter this code to turn on two-factor sign-in for your ${PRODUCT_NAME} account:`,
    ifNotYou: "If this wasn't you, someone may be signed in to your account: change your password now.",
    sharing: NEVER_SHARE,
  },
  password_reset: {
    subject: `Reset your ${PRODUCT_NAME} password`,
    heading: "Reset your password",
    intro: "Enter this code to choose a new password:",
    ifNotYou: "If this wasn't you, ignore this email. Your password has not been changed.",
    sharing: NEVER_SHARE,
  },
  email_change: {
    subject: `Confirm your new ${PRODUCT_NAME} email address`,
    heading: "Confirm your new email address",
    intro: `Enter this code to use this address for your ${PRODUCT_NAME} account:`,
    ifNotYou: "If this wasn't you, ignore this email. Nothing has been changed.",
    sharing: NEVER_SHARE,
  },
  phone_change: {
    subject: `Confirm the change of your ${PRODUCT_NAME} mobile number`,
    heading: "Confirm your new mobile number",
    intro: `Enter this code to change the mobile number on your ${PRODUCT_NAME} account:`,
    ifNotYou: "If this wasn't you, ignore this email. Nothing has been changed.",
    sharing: NEVER_SHARE,
  },
  caller_verification: {
    subject: `Your ${PRODUCT_NAME} support verification code`,
    heading: "Confirm it's you",
    intro: "A support agent is confirming your identity. Read this code to the agent:",
    ifNotYou: "If you are not talking to our support team right now, do not give this code to anyone, and reply to this email to let us know.",
    sharing: "Only give this code to the agent in the conversation you started with us.",
  },
  contact_verification: {
    subject: `Confirm your contact details with ${PRODUCT_NAME} support`,
    heading: "Confirm this address is yours",
    intro: "Our support team asked to confirm that this address belongs to you. Press the button below, or enter this code where you were asked for it:",
    ifNotYou: "If you don't know why you received this, ignore this email: nothing changes.",
    sharing: NEVER_SHARE,
  },
};

export interface SecurityCodeEmailProps {
  purpose: SecurityCodePurpose;
  code: string;
  codeLifetimeSeconds: number;
  /** contact_verification: `${publicBaseUrl()}/verify/contact?token=…#code=…`, the one-click confirmation. */
  link?: string;
  linkLifetimeSeconds?: number;
}

export function securityCodeEmailSubject(purpose: SecurityCodePurpose): string {
  return WORDING[purpose].subject;
}

export function SecurityCodeEmail({ purpose, code, codeLifetimeSeconds, link, linkLifetimeSeconds }: SecurityCodeEmailProps) {
  const wording = WORDING[purpose];
  const lifetime = formatDuration(codeLifetimeSeconds, { style: "words" });
  return (
    <EmailLayout
      preview={`${wording.heading}. The code expires in ${lifetime}.`}
      heading={wording.heading}
      footer={
        <>
          <Text style={styles.small}>{wording.ifNotYou}</Text>
          <Text style={styles.small}>{wording.sharing}</Text>
        </>
      }
    >
      <Text style={styles.text}>{wording.intro}</Text>
      <CodeBlock code={code} />
      <Text style={styles.text}>The code expires in {lifetime}.</Text>
      {link ? (
        <>
          <Section style={{ margin: "8px 0 16px" }}>
            <Button href={link} style={styles.button}>
              Confirm this address
            </Button>
          </Section>
          <Text style={styles.text}>
            The button works for {formatDuration(linkLifetimeSeconds ?? codeLifetimeSeconds, { style: "words" })}, in any browser.
          </Text>
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

export function renderSecurityCodeEmail(props: SecurityCodeEmailProps): Promise<RenderedEmail> {
  return renderEmail(securityCodeEmailSubject(props.purpose), <SecurityCodeEmail {...props} />);
}
