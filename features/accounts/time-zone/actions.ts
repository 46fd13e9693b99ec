"use server";

import "server-only";

import { authorizedAction } from "@/platform/auth/guard";
import { timeZoneInputSchema } from "@/features/accounts/time-zone/schemas";
import { changeOwnTimeZone, defaultTimeZoneFromBrowser } from "@/features/accounts/time-zone/time-zone";

/** The browser's zone, sent once by a page whose person has none yet; a zone already set is kept. */
export const defaultTimeZoneAction = authorizedAction("account", timeZoneInputSchema, async (input, actor) =>
  defaultTimeZoneFromBrowser(actor.userId, input.timeZone),
);

/** The account page's "Time zone" choice. */
export const changeTimeZoneAction = authorizedAction("account", timeZoneInputSchema, async (input, actor) => {
  const { timeZone } = await changeOwnTimeZone(actor, input.timeZone);
  return { timeZone, message: `Times are now shown in ${timeZone}.` };
});
