"use server";

import "server-only";

import { authorizedAction, publicAction, requestIp } from "@/platform/auth/guard";
import {
  addEmail,
  addPhone,
  confirmContact,
  correctEmail,
  correctPhone,
  makePrimaryEmail,
  removeEmail,
  removePhone,
  sendContactVerification,
  updateProfile,
} from "@/features/customers/contacts/contacts";
import {
  addEmailSchema,
  addPhoneSchema,
  confirmContactSchema,
  correctEmailSchema,
  correctPhoneSchema,
  emailRefSchema,
  phoneRefSchema,
  sendContactVerificationSchema,
  updateProfileSchema,
} from "@/features/customers/contacts/schemas";

/**
 * The contact-details editor's actions: every staff member on the console edits a customer's
 * contact details (features/customers/contacts/contacts.ts says the rules); the customer's
 * confirmation from the emailed or texted link is public, the link's token being the credential.
 */

const staff = (actor: { userId: string; role: import("@/platform/db/client").Role }) => ({ userId: actor.userId, role: actor.role });

export const updateProfileAction = authorizedAction("console", updateProfileSchema, async (input, actor) =>
  updateProfile(input, staff(actor), await requestIp()),
);

export const addEmailAction = authorizedAction("console", addEmailSchema, async (input, actor) => addEmail(input, staff(actor), await requestIp()));

export const correctEmailAction = authorizedAction("console", correctEmailSchema, async (input, actor) => correctEmail(input, staff(actor), await requestIp()));

export const removeEmailAction = authorizedAction("console", emailRefSchema, async (input, actor) => removeEmail(input, staff(actor), await requestIp()));

export const makePrimaryEmailAction = authorizedAction("console", emailRefSchema, async (input, actor) =>
  makePrimaryEmail(input, staff(actor), await requestIp()),
);

export const addPhoneAction = authorizedAction("console", addPhoneSchema, async (input, actor) => addPhone(input, staff(actor), await requestIp()));

export const correctPhoneAction = authorizedAction("console", correctPhoneSchema, async (input, actor) => correctPhone(input, staff(actor), await requestIp()));

export const removePhoneAction = authorizedAction("console", phoneRefSchema, async (input, actor) => removePhone(input, staff(actor), await requestIp()));

export const sendContactVerificationAction = authorizedAction("console", sendContactVerificationSchema, async (input, actor) =>
  sendContactVerification(input, staff(actor), await requestIp()),
);

/** The customer's confirmation, submitted by /verify/contact (never consumed by merely opening the link). */
export const confirmContactAction = publicAction(confirmContactSchema, async (input, { ip }) => confirmContact(input, ip));
