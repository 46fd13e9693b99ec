"use server";

import "server-only";

import { redirect } from "next/navigation";
import { authorizedAction, requestIp } from "@/platform/auth/guard";
import type { Role } from "@/platform/db/client";
import {
  addContact,
  addDomain,
  createOrganisation,
  removeContact,
  removeDomain,
  setCustomerOrganisationByName,
  updateOrganisation,
} from "@/features/organisations/organisations";
import {
  addContactSchema,
  addDomainSchema,
  createOrganisationSchema,
  removeContactSchema,
  removeDomainSchema,
  setCustomerOrganisationSchema,
  updateOrganisationSchema,
} from "@/features/organisations/schemas";

// Agents and above manage organisations and their membership; agreements stay with supervisors
// (features/customers/agreement-actions.ts, which takes an organisation as holder too).
const staff = (actor: { userId: string; role: Role }) => ({ userId: actor.userId, role: actor.role });

export const createOrganisationAction = authorizedAction("console", createOrganisationSchema, async (input, actor) => {
  const { id } = await createOrganisation(input, staff(actor), await requestIp());
  redirect(`/console/organisations/${id}?created=1`);
});

export const updateOrganisationAction = authorizedAction("console", updateOrganisationSchema, async (input, actor) =>
  updateOrganisation(input, staff(actor), await requestIp()),
);

export const addDomainAction = authorizedAction("console", addDomainSchema, async (input, actor) => addDomain(input, staff(actor), await requestIp()));

export const removeDomainAction = authorizedAction("console", removeDomainSchema, async (input, actor) => removeDomain(input, staff(actor), await requestIp()));

export const addContactAction = authorizedAction("console", addContactSchema, async (input, actor) => addContact(input, staff(actor), await requestIp()));

export const removeContactAction = authorizedAction("console", removeContactSchema, async (input, actor) =>
  removeContact(input, staff(actor), await requestIp()),
);

export const setCustomerOrganisationAction = authorizedAction("console", setCustomerOrganisationSchema, async (input, actor) =>
  setCustomerOrganisationByName(input, staff(actor), await requestIp()),
);
