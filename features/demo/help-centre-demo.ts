/**
 * The demo help centre (prisma/seed.ts): two categories and a few articles, public and internal,
 * one with a German translation, so /help, search, suggestions while filing a ticket and the
 * reply box's article picker have something to show. Pure data.
 */

export const DEMO_HELP_CATEGORIES = [
  { slug: "account-and-sign-in", name: "Account and sign-in", description: "Passwords, two-factor sign-in and your contact details." },
  { slug: "billing", name: "Billing and invoices", description: "Invoices, exports and your support agreement." },
] as const;

export type DemoHelpArticle = {
  slug: string;
  locale: string;
  /** The original's slug and locale, for a translation. */
  translationOf?: { slug: string; locale: string };
  category: (typeof DEMO_HELP_CATEGORIES)[number]["slug"];
  title: string;
  body: string;
  visibility: "internal" | "public";
};

export const DEMO_HELP_ARTICLES: readonly DemoHelpArticle[] = [
  {
    slug: "reset-your-password",
    locale: "en",
    category: "account-and-sign-in",
    title: "Reset your password",
    visibility: "public",
    body: "If you forgot your password:\n\n1. Open **Sign in** and choose **Forgot password**.\n2. Enter your email address. We email you a 6-digit code and a link; both work for 10 minutes.\n3. Choose a new password of at least 8 characters.\n\nSigning in from a browser you have not used before asks for a code sent to your verified email address.",
  },
  {
    slug: "reset-your-password",
    locale: "de",
    translationOf: { slug: "reset-your-password", locale: "en" },
    category: "account-and-sign-in",
    title: "Passwort zurücksetzen",
    visibility: "public",
    body: "Wenn Sie Ihr Passwort vergessen haben:\n\n1. Öffnen Sie **Anmelden** und wählen Sie **Passwort vergessen**.\n2. Geben Sie Ihre E-Mail-Adresse ein. Wir senden Ihnen einen 6-stelligen Code und einen Link; beide gelten 10 Minuten.\n3. Wählen Sie ein neues Passwort mit mindestens 8 Zeichen.",
  },
  {
    slug: "turn-on-two-factor-sign-in",
    locale: "en",
    category: "account-and-sign-in",
    title: "Turn on two-factor sign-in",
    visibility: "public",
    body: "Two-factor sign-in asks for a second step after your password: a code from an authenticator app, or a code by email or text message.\n\nGo to **Your account › Password and two-factor** and choose a method. Keep your 10 recovery codes somewhere safe.\n\nWith a verified mobile, turning two-factor sign-in **off** waits until you approve it by replying to our text.",
  },
  {
    slug: "export-invoices",
    locale: "en",
    category: "billing",
    title: "Export your invoices",
    visibility: "public",
    body: "Invoices are listed by month under **My support › Downloads**.\n\n- Choose the month and **Download PDF**.\n- For a whole year, export one quarter at a time: very large exports can time out.\n\nInvoices older than 7 years are archived; ask support for a copy.",
  },
  {
    slug: "verify-a-caller",
    locale: "en",
    category: "account-and-sign-in",
    title: "Verifying a caller before account changes (agents)",
    visibility: "internal",
    body: "Never read out what is on the record. In the ticket's **Verify caller** panel:\n\n1. Type what the caller says (name, account number or email, phone) and press **Check details**.\n2. Send a code to a *verified* channel the caller does not choose, and type the code they read back.\n3. A mobile changed in the last 72 hours cannot receive the code: escalate instead.",
  },
];
