"use server";

import { headers } from "next/headers";
import { authorizedAction, requestIp } from "@/lib/auth/guard";
import { checkCallerFields, DEFAULT_PHONE_REGION, sendCallerCode, verifyCallerCode } from "@/lib/identity/caller-verification";
import { callerCodeSchema, callerFieldsSchema, sendCallerCodeSchema } from "@/lib/identity/caller-verification-schemas";
import { countryFromAcceptLanguage } from "@/lib/identity/phone-schemas";

// No revalidatePath here: its page payload would carry the identity panel (with the record's
// addresses) in these responses. The form calls router.refresh() after a success instead.

export const checkCallerDetails = authorizedAction("console", callerFieldsSchema, async (input, actor) => {
  const phoneRegion = countryFromAcceptLanguage((await headers()).get("accept-language")) ?? DEFAULT_PHONE_REGION;
  return checkCallerFields(actor, { ...input, phoneRegion, ip: await requestIp() });
});

export const sendCallerCodeAction = authorizedAction("console", sendCallerCodeSchema, async (input, actor) => sendCallerCode(actor, { ...input, ip: await requestIp() }));

export const checkCallerCode = authorizedAction("console", callerCodeSchema, async (input, actor) => verifyCallerCode(actor, { ...input, ip: await requestIp() }));
