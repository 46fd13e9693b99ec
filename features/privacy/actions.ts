"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { eraseCustomer } from "@/features/privacy/erasure";
import { eraseCustomerSchema } from "@/features/privacy/schemas";

/** Supervisors and administrators only: erases the customer once their name is typed exactly. */
export const eraseCustomerAction = authorizedAction("supervisor", eraseCustomerSchema, async (input, actor) => eraseCustomer(actor, input, await requestIp()));
