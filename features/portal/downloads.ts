import "server-only";
/**
 * The demo's downloads: what an entitled customer gets from /portal/downloads. Small generated
 * text files, so the demo needs no binaries; a real deployment would point these at its storage.
 */
export interface DemoDownload {
  /** URL segment and file name. */
  file: string;
  title: string;
  description: string;
  version: string;
  released: string;
  content: string;
}

export const DEMO_DOWNLOADS: readonly DemoDownload[] = [
  {
    file: "veridesk-agent-4.2.0-release-notes.txt",
    title: "Desktop agent 4.2.0",
    description: "Release notes and checksums for the desktop agent used by the controller integrations.",
    version: "4.2.0",
    released: "2026-10-14",
    content: [
      "Desktop agent 4.2.0 (demo download)",
      "",
      "- Faster invoice export for date ranges over 5,000 invoices.",
      "- Tracking pages follow the company time zone.",
      "",
      "SHA-256 of the demo installer: 5f1d7c0e3a9b2c4d6e8f00112233445566778899aabbccddeeff001122334455",
    ].join("\n"),
  },
  {
    file: "firmware-controller-3.8.1.txt",
    title: "Line controller firmware 3.8.1",
    description: "Licence-retention fix after power loss. Install during a maintenance window.",
    version: "3.8.1",
    released: "2026-09-30",
    content: ["Line controller firmware 3.8.1 (demo download)", "", "Fixes the controller losing its licence after a power cut."].join("\n"),
  },
  {
    file: "admin-guide-2026.txt",
    title: "Administrator guide (2026 edition)",
    description: "Setting up users, billing contacts, tax numbers and data imports.",
    version: "2026.2",
    released: "2026-08-01",
    content: [
      "Administrator guide, 2026 edition (demo download)",
      "",
      "1. Users and roles",
      "2. Billing contacts",
      "3. Tax numbers on invoices",
      "4. Imports and rollbacks",
    ].join("\n"),
  },
];

export function findDemoDownload(file: string): DemoDownload | undefined {
  return DEMO_DOWNLOADS.find((download) => download.file === file);
}
