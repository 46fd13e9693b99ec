import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";
import { passwordConfirmationField } from "@/features/accounts/two-factor/schemas";

/** The postal / shipping address form (the account page), for the form and the server action alike. Browser-safe. */

export const MAX_POSTAL_ADDRESS_CHARACTERS = 500;
export const MAX_POSTAL_ADDRESS_LINES = 8;

export const postalAddressSchema = z.object({
  address: cleanText({ multiline: true })
    .max(MAX_POSTAL_ADDRESS_CHARACTERS, { message: `Keep the address under ${MAX_POSTAL_ADDRESS_CHARACTERS} characters.` })
    // One line per line of the label; blank lines and trailing spaces are not part of an address.
    .transform((value) =>
      value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
        .join("\n"),
    )
    .refine((value) => value.split("\n").length <= MAX_POSTAL_ADDRESS_LINES, { message: `Use at most ${MAX_POSTAL_ADDRESS_LINES} lines.` }),
  /** Where goods go is worth a takeover: the same proof as the other changes (and each text costs a send). */
  password: passwordConfirmationField,
});
export type PostalAddressInput = z.input<typeof postalAddressSchema>;
