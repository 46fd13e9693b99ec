import { z } from "zod";

/** The re-verification campaign form (features/data-quality/campaigns/): one schema, parsed by the form and the server. Browser-safe. */

export const CAMPAIGN_CHANNELS = ["email", "sms"] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

/** A campaign sends at most this many messages: a bigger selection is split (narrower criteria). */
export const CAMPAIGN_MAX_MESSAGES = 10_000;
export const STALE_MONTHS_MAX = 120;

export const campaignCriteriaSchema = z
  .object({
    channel: z.enum(CAMPAIGN_CHANNELS, { message: "Choose email or SMS." }),
    doubtful: z.boolean({ message: "Say whether doubtful contacts are included." }).default(false),
    invalid: z.boolean({ message: "Say whether invalid contacts are included." }).default(false),
    unverified: z.boolean({ message: "Say whether never-verified contacts are included." }).default(false),
    /** "Not verified for N months": empty for none. A text field in the form. */
    staleMonths: z
      .string({ message: "Enter a number of months, or leave it empty." })
      .trim()
      .max(4, { message: `Enter a number of months from 1 to ${STALE_MONTHS_MAX}.` })
      .refine((value) => value === "" || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= STALE_MONTHS_MAX), {
        message: `Enter a number of months from 1 to ${STALE_MONTHS_MAX}.`,
      })
      .default(""),
  })
  .refine((input) => input.doubtful || input.invalid || input.unverified || input.staleMonths !== "", {
    message: "Choose at least one group of contacts to ask.",
    path: ["doubtful"],
  });
export type CampaignCriteriaInput = z.input<typeof campaignCriteriaSchema>;
export type CampaignCriteria = z.output<typeof campaignCriteriaSchema>;

/** Skip reasons, as stored in VerificationCampaignTarget.reason, and what the page says. */
export const SKIP_REASON_LABELS: Record<string, string> = {
  bouncing: "Bouncing (mail or texts to it fail)",
  undeliverable: "Cannot receive messages (invalid address or number)",
  complained: "Marked our mail as spam",
  opted_out: "Opted out of texts (replied STOP)",
  not_mobile: "Not a mobile number",
  daily_cap: "Daily cap reached for this number",
  recently_sent: "A request was sent very recently (cooldown or hourly cap)",
  no_primary_address: "No primary address",
  gone: "No longer on the record",
  refused: "Refused by the sending limits",
};
