import "server-only";
import { PRODUCT_NAME, type RenderedEmail } from "@/features/verification/emails/layout";
import { renderSecurityNotice } from "@/features/accounts/contact-change/contact-change-emails";

/** The staff invitation (features/staff/invitations.ts). Its button is a credential: queued as sensitive. Server only. */

export const INVITATION_SUBJECT = `You are invited to ${PRODUCT_NAME}`;

export function renderInvitationEmail(input: { name: string; invitedBy: string; roleLabel: string; link: string; lifetime: string }): Promise<RenderedEmail> {
  return renderSecurityNotice(INVITATION_SUBJECT, {
    preview: `${input.invitedBy} invited you to ${PRODUCT_NAME}. The link works for ${input.lifetime}.`,
    heading: `Join ${PRODUCT_NAME}`,
    paragraphs: [
      `Hello ${input.name},`,
      `${input.invitedBy} invited you to ${PRODUCT_NAME} as ${input.roleLabel.toLowerCase()}.`,
      "Use the button to choose your password and finish setting up your account.",
    ],
    action: { label: "Accept the invitation", href: input.link, note: `The button works once, for ${input.lifetime}.` },
    footer: [
      "If you did not expect this, ignore this email: no account is made unless the button is used.",
      `Never forward this email: anyone with its button can take the account.`,
    ],
  });
}
