import "server-only";
import { Fragment, createElement as h } from "react";
import { Button, Section, Text } from "@react-email/components";
import { EmailLayout, PRODUCT_NAME, renderEmail, styles, type RenderedEmail } from "@/features/verification/emails/layout";

/**
 * "Someone tried to register with your address": sent to the owner of an existing account
 * instead of a code when somebody registers with that address (no account enumeration: the
 * registrant sees exactly what a new address would show). Carries no code and no token, so it is
 * not a sensitive message. Server only.
 */

export const EXISTING_ACCOUNT_NOTICE_SUBJECT = `Someone tried to register with your email address at ${PRODUCT_NAME}`;

export interface ExistingAccountNoticeProps {
  /** `${publicBaseUrl()}/signin` */
  signInUrl: string;
}

export function renderExistingAccountNotice({ signInUrl }: ExistingAccountNoticeProps): Promise<RenderedEmail> {
  const body = h(
    Fragment,
    null,
    h(
      Text,
      { style: styles.text },
      `Someone just tried to create a new ${PRODUCT_NAME} account with this email address. It already has an account, so we did not create another one.`,
    ),
    h(Text, { style: styles.text }, "If it was you, sign in with your password. If you have forgotten it, reset it from the sign-in page."),
    h(Section, { style: { margin: "8px 0 16px" } }, h(Button, { href: signInUrl, style: styles.button }, "Sign in")),
  );
  const email = h(EmailLayout, {
    preview: "Your address already has an account. If it was you, sign in or reset your password.",
    heading: "You already have an account",
    footer: h(
      Text,
      { style: styles.small },
      "If this wasn't you, you can ignore this email: nothing has changed and no new account was created. Nobody can use your account without your password.",
    ),
    children: body,
  });
  return renderEmail(EXISTING_ACCOUNT_NOTICE_SUBJECT, email);
}
