import "server-only";
import { PRODUCT_NAME, type RenderedEmail } from "@/features/verification/emails/layout";
import { renderSecurityNotice } from "@/features/accounts/contact-change/contact-change-emails";

/** The password reset link, and the notice sent whenever a password changes. Server only. */

export const PASSWORD_RESET_SUBJECT = `Reset your ${PRODUCT_NAME} password`;

export function renderPasswordResetEmail(input: { link: string; lifetime: string }): Promise<RenderedEmail> {
  return renderSecurityNotice(PASSWORD_RESET_SUBJECT, {
    preview: `Choose a new password. The link works for ${input.lifetime}.`,
    heading: "Reset your password",
    paragraphs: [`Someone (we hope you) asked to reset the password of your ${PRODUCT_NAME} account.`, "Use the button to choose a new password."],
    action: { label: "Choose a new password", href: input.link, note: `The button works once, for ${input.lifetime}.` },
    footer: [
      "If this wasn't you, ignore this email: your password has not been changed, and nothing happens unless the button is used.",
      `Never forward this email. ${PRODUCT_NAME} staff will never ask you for it.`,
    ],
  });
}

export const PASSWORD_CHANGED_SUBJECT = `Your ${PRODUCT_NAME} password was changed`;

export function renderPasswordChangedNotice(input: { how: "reset" | "changed"; changedAt: Date; forgotPasswordLink: string }): Promise<RenderedEmail> {
  const when = `${input.changedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return renderSecurityNotice(PASSWORD_CHANGED_SUBJECT, {
    preview: "Your password was changed. If this wasn't you, reset it now.",
    heading: "Your password was changed",
    paragraphs: [
      input.how === "reset"
        ? `On ${when} the password of your ${PRODUCT_NAME} account was reset with a link sent to this address. Every device that was signed in has been signed out.`
        : `On ${when} the password of your ${PRODUCT_NAME} account was changed from its security settings. Other devices that were signed in have been signed out.`,
      "If you made this change, there is nothing to do.",
      "If this wasn't you, reset your password now with the button below, and contact our support.",
    ],
    action: { label: "Reset my password", href: input.forgotPasswordLink },
    footer: [`This is an automatic security notice from ${PRODUCT_NAME}.`],
  });
}
