import type { BadgeTone } from "@/ui/badge";

/** Words and badge tones for an import's statuses and row outcomes (pages and components share them). */

export const IMPORT_STATUS_LABELS = {
  uploaded: "Waiting for mapping",
  dry_running: "Checking",
  previewed: "Checked, not imported",
  committing: "Importing",
  committed: "Imported",
  undone: "Undone",
  failed: "Failed",
  discarded: "Discarded",
} as const;

export const IMPORT_STATUS_TONES: Record<keyof typeof IMPORT_STATUS_LABELS, BadgeTone> = {
  uploaded: "info",
  dry_running: "info",
  previewed: "warn",
  committing: "info",
  committed: "good",
  undone: "neutral",
  failed: "bad",
  discarded: "neutral",
};

export const OUTCOME_LABELS = {
  new: "New",
  update: "Update",
  unchanged: "Unchanged",
  flagged: "Flagged",
  skipped: "Skipped",
  duplicate: "Duplicate",
} as const;

export const OUTCOME_DESCRIPTIONS: Record<keyof typeof OUTCOME_LABELS, string> = {
  new: "a customer that does not exist yet",
  update: "an existing customer whose details change",
  unchanged: "an existing customer already as the file says",
  flagged: "written except what may not change (a verified identifier, another customer's address)",
  skipped: "not written, for the reason given",
  duplicate: "the same as an earlier row, merged into it",
};

export const OUTCOME_TONES: Record<keyof typeof OUTCOME_LABELS, BadgeTone> = {
  new: "good",
  update: "info",
  unchanged: "neutral",
  flagged: "warn",
  skipped: "bad",
  duplicate: "neutral",
};

export const MATCHED_BY_LABELS: Record<string, string> = { account_number: "account number", email: "email address", phone: "phone number" };
