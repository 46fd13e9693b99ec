"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { addAgreement, cancelAgreement, extendAgreement } from "@/features/customers/agreement-changes";
import { addAgreementSchema, cancelAgreementSchema, extendAgreementSchema } from "@/features/customers/schemas";

const staff = (actor: { userId: string; role: import("@/platform/db/client").Role }) => ({ userId: actor.userId, role: actor.role });

export const addAgreementAction = authorizedAction("supervisor", addAgreementSchema, async (input, actor) =>
  addAgreement(input, staff(actor), await requestIp()),
);

export const extendAgreementAction = authorizedAction("supervisor", extendAgreementSchema, async (input, actor) =>
  extendAgreement(input, staff(actor), await requestIp()),
);

export const cancelAgreementAction = authorizedAction("supervisor", cancelAgreementSchema, async (input, actor) =>
  cancelAgreement(input, staff(actor), await requestIp()),
);
