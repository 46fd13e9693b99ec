import { z } from "zod";
import { secretText } from "@/platform/text/schemas";

/** Sign-in form; the browser form and the server parse the same schema. */
export const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, { message: "Enter your email address." })
    .max(254, { message: "That email address is too long." })
    .pipe(z.email({ message: "Enter an email address like name@example.com." })),
  password: secretText().min(1, { message: "Enter your password." }).max(1024, { message: "That password is too long." }),
});
export type SignInInput = z.infer<typeof signInSchema>;
