/**
 * The audit actions of security events on an account, one copy: written by the flows that cause
 * them (contact change, new-device sign-in, "this wasn't me") and read by recent risk, the dispute
 * link and the customer page. Client-safe (no imports).
 */
export const SECURITY_ACTIONS = {
  emailChanged: "identity.email_changed",
  phoneChanged: "identity.phone_changed",
  newDeviceSignIn: "auth.new_device_sign_in",
  changeDisputed: "identity.change_disputed",
  /** A change put on hold until the owner answers a text (features/accounts/text-confirmation/). */
  changeAwaitingText: "identity.change_awaiting_text",
  changeApprovedByText: "identity.change_approved_by_text",
  changeRefusedByText: "identity.change_refused_by_text",
} as const;
