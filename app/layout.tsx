import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { DemoBanner } from "@/ui/layout/demo-banner";
import { SiteHeader } from "@/ui/layout/site-header";
import { NotificationBellSlot } from "@/features/notifications/components/notification-bell-slot";
import { currentActor } from "@/platform/auth/guard";
import { BrowserTimeZone } from "@/features/accounts/time-zone/components/browser-time-zone";
import { inter } from "./fonts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Veridesk", template: "%s · Veridesk" },
  description: "Customer-service helpdesk that shows agents who the requester really is.",
  // Files in public/; the manifest is app/manifest.ts.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
  manifest: "/manifest.webmanifest",
};

/** The brand colour (--color-brand-600 in globals.css) for the browser's toolbar. */
export const viewport: Viewport = { themeColor: "#1f5fd1" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: Next.js puts the Content-Security-Policy nonce of proxy.ts
  // on its scripts only then (a page prerendered at build time would carry none and be blocked).
  await connection();
  // A person without a time zone yet gets the browser's (once); until then times show in UTC.
  const actor = await currentActor();
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a href="#main" className="skip-link rounded bg-white px-3 py-2 text-sm font-semibold shadow">
          Skip to content
        </a>
        {actor && !actor.timeZone ? <BrowserTimeZone /> : null}
        <DemoBanner />
        <SiteHeader tools={<NotificationBellSlot />} />
        <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">
          {children}
        </main>
      </body>
    </html>
  );
}
