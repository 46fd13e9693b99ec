"use server";

import { authorizedAction, currentActor, publicAction } from "@/platform/auth/guard";
import { optOutOfSurveys, rateTicket, setSurveyPreference } from "@/features/satisfaction/surveys";
import { rateTicketSchema, surveyOptOutSchema, surveyPreferenceSchema } from "@/features/satisfaction/schemas";

/**
 * The survey link's actions. Public: a ticket without a portal account is rated by the token's
 * holder (the link went only to the requester's address); for a ticket with an account, the
 * service requires that account's session (read here, never taken from the request).
 */
export const rateTicketAction = publicAction(rateTicketSchema, async (input) => {
  const actor = await currentActor();
  return rateTicket(input, actor ? { userId: actor.userId } : null);
});

/** The email's "stop satisfaction surveys" link, confirmed by a button (opening it changes nothing). */
export const surveyOptOutAction = publicAction(surveyOptOutSchema, async (input) => optOutOfSurveys(input.token));

/** The account page's switch, for the signed-in person's own account only. */
export const setSurveyPreferenceAction = authorizedAction("account", surveyPreferenceSchema, async (input, actor) =>
  setSurveyPreference(actor.userId, input.surveys),
);
