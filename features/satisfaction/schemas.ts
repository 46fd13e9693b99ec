import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";

/** The longest rating comment kept. */
export const SURVEY_COMMENT_MAX = 2000;
export const SURVEY_TOKEN_MAX = 200;

export const SATISFACTION_RATINGS = ["good", "bad"] as const;
export type SatisfactionRatingValue = (typeof SATISFACTION_RATINGS)[number];

const tokenSchema = cleanText().trim().min(1, "This page needs the link from the email we sent you.").max(SURVEY_TOKEN_MAX, "This link is not valid.");

/** The rating page's form: the choice (preselected from the link) and an optional comment. */
export const rateTicketSchema = z.object({
  token: tokenSchema,
  rating: z.enum(SATISFACTION_RATINGS, { message: "Choose Good or Bad." }),
  comment: cleanText({ multiline: true }).trim().max(SURVEY_COMMENT_MAX, `Keep the comment under ${SURVEY_COMMENT_MAX} characters.`).optional(),
});
export type RateTicketInput = z.input<typeof rateTicketSchema>;

/** The unsubscribe page's form. */
export const surveyOptOutSchema = z.object({ token: tokenSchema });
export type SurveyOptOutInput = z.input<typeof surveyOptOutSchema>;

export const RATING_LABEL: Record<SatisfactionRatingValue, string> = { good: "Good", bad: "Bad" };

/** The account page's switch: whether this customer account is asked to rate solved tickets. */
export const surveyPreferenceSchema = z.object({ surveys: z.boolean() });
export type SurveyPreferenceInput = z.input<typeof surveyPreferenceSchema>;
