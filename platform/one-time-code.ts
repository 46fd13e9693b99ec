/**
 * The shape of every one-time code Veridesk sends (email, SMS, caller checks): the form fields,
 * the schemas and the engine (features/verification) all read it from here.
 */
export const CODE_DIGITS = 6;

/** Exactly CODE_DIGITS decimal digits, leading zeros kept ("004219"). */
export const CODE_PATTERN = new RegExp(`^\\d{${CODE_DIGITS}}$`);
