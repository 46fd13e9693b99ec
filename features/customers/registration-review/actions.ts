"use server";

import "server-only";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionError, authorizedAction } from "@/platform/auth/guard";
import { acceptSuggestedOrganisation, createCustomerFromAccount, linkAccountToCustomer, ReviewError } from "@/features/customers/registration-review/review";
import { acceptSuggestedOrganisationSchema } from "@/features/organisations/schemas";
import { clientIpFrom } from "@/platform/request";
import { createCustomerSchema } from "@/features/customers/registration-review/schemas";

async function requestIp() {
  const all = await headers();
  return clientIpFrom((name) => all.get(name));
}

function reviewRefusal(error: unknown): never {
  if (error instanceof ReviewError) throw new ActionError(error.message, error.code);
  throw error;
}

/** An agent links an awaiting account to an existing customer (audited). */
export const linkAccount = authorizedAction("console", z.object({ userId: z.uuid(), customerId: z.uuid() }), async (input, actor) => {
  try {
    await linkAccountToCustomer({ ...input, actor: { userId: actor.userId, role: actor.role }, ip: await requestIp() });
  } catch (error) {
    reviewRefusal(error);
  }
  redirect(`/console/registrations?done=${input.userId}`);
});

/** An agent creates a customer from an awaiting account and links it (audited). */
export const createCustomer = authorizedAction("console", createCustomerSchema, async (input, actor) => {
  try {
    await createCustomerFromAccount({ ...input, actor: { userId: actor.userId, role: actor.role }, ip: await requestIp() });
  } catch (error) {
    reviewRefusal(error);
  }
  redirect(`/console/registrations?done=${input.userId}`);
});

/** An agent accepts the organisation the account's email domain suggests (never automatic; audited). */
export const acceptOrganisationSuggestion = authorizedAction("console", acceptSuggestedOrganisationSchema, async (input, actor) => {
  try {
    const done = await acceptSuggestedOrganisation({ ...input, actor: { userId: actor.userId, role: actor.role }, ip: await requestIp() });
    return { message: `${done.customerName} is now a contact of ${done.organisationName}.` };
  } catch (error) {
    reviewRefusal(error);
  }
});
