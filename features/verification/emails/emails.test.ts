import { describe, expect, it } from "vitest";
import { renderSecurityCodeEmail, securityCodeEmailSubject, type SecurityCodePurpose } from "@/features/verification/emails/security-code-email";
import { renderVerificationCodeEmail, VERIFICATION_EMAIL_SUBJECT } from "@/features/verification/emails/verification-code-email";
import { formatDuration } from "@/platform/text/durations";

// Lifetimes in messages are now formatDuration's "words" style.
const describeDuration = (seconds: number) => formatDuration(seconds, { style: "words" });
import { smsCodeText } from "@/features/verification/sms-texts";

const link = "https://help.example.com/verify/email?token=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde&x=1#code=042917";

describe("verification code email", () => {
  it("renders the code, the button to the link and both lifetimes, in HTML and plain text", async () => {
    const email = await renderVerificationCodeEmail({ code: "042917", codeLifetimeSeconds: 600, link, linkLifetimeSeconds: 86_400 });
    expect(email.subject).toBe(VERIFICATION_EMAIL_SUBJECT);
    expect(email.subject).not.toContain("042917");

    expect(email.html).toMatch(/^<!DOCTYPE html/);
    expect(email.html).toContain(">042917<");
    expect(email.html).toContain("Verify my email address");
    // React escapes "&" in attributes; the button's href is the link itself.
    expect(email.html).toContain(`href="${link.replace(/&/g, "&amp;")}"`);

    expect(email.text).toContain("042917");
    expect(email.text).toContain(link);
    expect(email.text).toContain("The code expires in 10 minutes.");
    expect(email.text).toContain("The button works for 24 hours");
    expect(email.text).toContain("If this wasn't you, ignore this email.");
    expect(email.text).not.toMatch(/<[a-z]/i);
  });

  it("has no button without a link", async () => {
    const email = await renderVerificationCodeEmail({ code: "042917", codeLifetimeSeconds: 600 });
    expect(email.html).not.toContain("Verify my email address");
    expect(email.text).not.toContain("http");
    expect(email.text).toContain("042917");
  });

  it("keeps the code out of the preview line shown in inbox lists", async () => {
    const email = await renderVerificationCodeEmail({ code: "042917", codeLifetimeSeconds: 600, link, linkLifetimeSeconds: 86_400 });
    const preview = /<div[^>]*data-skip-in-text="true"[^>]*>([\s\S]*?)<\/div>/.exec(email.html)?.[1] ?? "";
    expect(preview).toContain("verify your email address");
    expect(preview).not.toContain("042917");
  });
});

describe("security code email", () => {
  const purposes: SecurityCodePurpose[] = [
    "sign_in_second_factor",
    "new_device_sign_in",
    "two_factor_setup",
    "password_reset",
    "email_change",
    "phone_change",
    "caller_verification",
    "contact_verification",
  ];

  it.each(purposes)("renders the code for %s with its own wording and no code in the subject", async (purpose) => {
    const email = await renderSecurityCodeEmail({ purpose, code: "913377", codeLifetimeSeconds: 600 });
    expect(email.subject).toBe(securityCodeEmailSubject(purpose));
    expect(email.subject).not.toContain("913377");
    expect(email.html).toContain(">913377<");
    expect(email.text).toContain("913377");
    expect(email.text).toContain("The code expires in 10 minutes.");
  });

  it("words each purpose differently", () => {
    expect(new Set(purposes.map(securityCodeEmailSubject)).size).toBe(purposes.length);
  });

  it("tells a caller to read the code only to the agent they are talking to", async () => {
    const email = await renderSecurityCodeEmail({ purpose: "caller_verification", code: "913377", codeLifetimeSeconds: 600 });
    expect(email.text).toContain("Read this code to the agent");
    expect(email.text).toContain("If you are not talking to our support team right now, do not give this code to anyone");
    expect(email.text).not.toContain("will never ask you for it");
  });

  it("tells a two-factor user what a code they did not ask for means", async () => {
    const email = await renderSecurityCodeEmail({ purpose: "sign_in_second_factor", code: "913377", codeLifetimeSeconds: 600 });
    expect(email.text).toContain("someone may know your password");
  });
});

describe("SMS texts", () => {
  it("reads as specified", () => {
    expect(smsCodeText({ purpose: "phone_verification", code: "123456", codeLifetimeSeconds: 600 })).toBe(
      "Your Veridesk code is 123456. It expires in 10 minutes. Never share it.",
    );
  });

  it("adds the origin-bound line for autofill, except for codes read out to an agent", () => {
    expect(smsCodeText({ purpose: "sign_in_second_factor", code: "123456", codeLifetimeSeconds: 600, originHost: "help.example.com" })).toBe(
      "Your Veridesk sign-in code is 123456. It expires in 10 minutes. Never share it.\n\n@help.example.com #123456",
    );
    const caller = smsCodeText({ purpose: "caller_verification", code: "123456", codeLifetimeSeconds: 600, originHost: "help.example.com" });
    expect(caller).toContain("Read it to the agent only if you contacted us.");
    expect(caller).not.toContain("@help.example.com");
  });

  it("fits one GSM-7 segment for every purpose", () => {
    const purposes = [
      "email_verification",
      "phone_verification",
      "sign_in_second_factor",
      "new_device_sign_in",
      "two_factor_setup",
      "password_reset",
      "email_change",
      "phone_change",
      "caller_verification",
    ] as const;
    for (const purpose of purposes) {
      const text = smsCodeText({ purpose, code: "123456", codeLifetimeSeconds: 600, originHost: "helpdesk.example.com" });
      expect(text.length).toBeLessThanOrEqual(160);
      expect(text).toMatch(/^[A-Za-z0-9 .,:;!?@#'\-\n]+$/);
    }
  });
});

describe("describeDuration", () => {
  it("writes lifetimes the way people say them", () => {
    expect(describeDuration(600)).toBe("10 minutes");
    expect(describeDuration(60)).toBe("1 minute");
    expect(describeDuration(86_400)).toBe("24 hours");
    expect(describeDuration(3600)).toBe("1 hour");
    expect(describeDuration(45)).toBe("45 seconds");
  });
});
