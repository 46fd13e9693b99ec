"use server";

import "server-only";

import { revalidatePath } from "next/cache";
import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { mergeCustomers, undoMerge } from "@/features/customers/merge/merge";
import { mergeCustomersSchema, undoMergeSchema } from "@/features/customers/merge/schemas";

function refresh(...customerIds: string[]) {
  for (const id of customerIds) revalidatePath(`/console/customers/${id}`);
  revalidatePath("/console/customers");
}

export const mergeCustomersAction = authorizedAction("supervisor", mergeCustomersSchema, async (input, actor) => {
  const merge = await mergeCustomers(actor, input, { ip: await requestIp() });
  refresh(merge.survivorId, merge.absorbedId);
  return { mergeId: merge.id, survivorId: merge.survivorId };
});

export const undoMergeAction = authorizedAction("supervisor", undoMergeSchema, async (input, actor) => {
  const undone = await undoMerge(actor, input, { ip: await requestIp() });
  refresh(undone.survivorId, undone.absorbedId);
  return { survivorId: undone.survivorId, absorbedId: undone.absorbedId };
});
