"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionError, authorizedAction } from "@/lib/auth/guard";
import { createCustomerFromAccount, linkAccountToCustomer, ReviewError } from "@/lib/customers/review";
import { clientIpFrom } from "@/lib/platform/request";
import { createCustomerSchema } from "@/components/registration/review-schema";

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
