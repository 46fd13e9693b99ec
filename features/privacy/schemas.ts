import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";

/** The erasure confirmation: which customer, and their name typed exactly (checked on the server against the record). */
export const eraseCustomerSchema = z.object({
  customerId: z.uuid({ message: "That customer reference is not valid." }),
  confirmName: cleanText().trim().min(1, { message: "Type the customer's name to confirm." }).max(300, { message: "That is longer than any customer's name." }),
});

export type EraseCustomerInput = z.input<typeof eraseCustomerSchema>;
