import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";
import { NAME_MAX_LENGTH, plainTextProblem } from "@/features/accounts/registration/schemas";

/** "Create a customer from this account" (the agent's form and the server action). */
const text = (label: string, required: boolean) =>
  cleanText({ error: `Enter the ${label}.` })
    .trim()
    .max(NAME_MAX_LENGTH, { message: `Use at most ${NAME_MAX_LENGTH} characters for the ${label}.` })
    .superRefine((value, ctx) => {
      if (required && value === "") ctx.addIssue({ code: "custom", message: `Enter the ${label}.` });
      const problem = plainTextProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

export const createCustomerSchema = z.object({
  userId: z.uuid(),
  name: text("customer's name", true),
});

export type CreateCustomerFormInput = z.input<typeof createCustomerSchema>;
