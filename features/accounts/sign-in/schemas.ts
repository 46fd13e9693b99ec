import { z } from "zod";
import { emailAddressSchema } from "@/platform/email-address/email-address";
import { secretText } from "@/platform/text/schemas";

/** Sign-in form; the browser form and the server parse the same schema. */
export const signInSchema = z.object({
  email: emailAddressSchema({ required: "Enter your email address.", tooLong: "That email address is too long." }),
  password: secretText().min(1, { message: "Enter your password." }).max(1024, { message: "That password is too long." }),
});
export type SignInInput = z.infer<typeof signInSchema>;
