"use server";

import "server-only";

import { headers } from "next/headers";
import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { checkCallerFields, DEFAULT_PHONE_REGION, sendCallerCode, verifyCallerCode } from "@/features/callers/caller-verification";
import { callerCodeSchema, callerFieldsSchema, sendCallerCodeSchema } from "@/features/callers/schemas";
import { countryFromAcceptLanguage } from "@/features/accounts/contact-change/phone-schemas";

// No revalidatePath here: its page payload would carry the identity panel (with the record's
// addresses) in these responses. The form calls router.refresh() after a success instead.

export const checkCallerDetails = authorizedAction("console", callerFieldsSchema, async (input, actor) => {
  const phoneRegion = countryFromAcceptLanguage((await headers()).get("accept-language")) ?? DEFAULT_PHONE_REGION;
  return checkCallerFields(actor, { ...input, phoneRegion, ip: await requestIp() });
});

export const sendCallerCodeAction = authorizedAction("console", sendCallerCodeSchema, async (input, actor) =>
  sendCallerCode(actor, { ...input, ip: await requestIp() }),
);

export const checkCallerCode = authorizedAction("console", callerCodeSchema, async (input, actor) =>
  verifyCallerCode(actor, { ...input, ip: await requestIp() }),
);
