import "server-only";
import { PRODUCT_NAME, type RenderedEmail } from "@/features/verification/emails/layout";
import { renderSecurityNotice } from "@/features/accounts/contact-change/contact-change-emails";

/** To the verified address after a sign-in from a browser the account had not used: with the "this wasn't me" link. */
export function renderNewDeviceNotice(input: {
  browser: string;
  place: string;
  signedInAt: Date;
  disputeLink: string;
  disputeLifetime: string;
}): Promise<RenderedEmail> {
  const when = `${input.signedInAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return renderSecurityNotice(`New sign-in to your ${PRODUCT_NAME} account`, {
    preview: `${input.browser} signed in to your account. If this wasn't you, tell us now.`,
    heading: "A new browser signed in to your account",
    paragraphs: [
      `On ${when} your ${PRODUCT_NAME} account was signed in to from a browser it had not used before.`,
      `Browser: ${input.browser}. Address: ${input.place} (the network address the sign-in came from; we do not look up places).`,
      "If this was you, there is nothing to do.",
      "If this wasn't you, use the button below: it freezes your account at once (nobody can use it, including whoever signed in), signs out every device, and alerts our support staff, who will contact you. Then change your password.",
    ],
    action: { label: "This wasn't me: freeze my account", href: input.disputeLink, note: `The button works for ${input.disputeLifetime}.` },
    footer: [
      `This is an automatic security notice from ${PRODUCT_NAME}. We send it for every sign-in from a new browser.`,
      "Never share this email: its button can freeze your account.",
    ],
  });
}

export function newDeviceSms(input: { browser: string; disputeLink: string }): string {
  return `${PRODUCT_NAME}: new sign-in (${input.browser}). If this wasn't you, freeze your account: ${input.disputeLink}`;
}
