/**
 * The shape of every one-time code Veridesk sends (email, SMS, caller checks): the form fields,
 * the schemas and the engine (features/verification) all read it from here.
 */
export const CODE_DIGITS = 6;

/** Exactly CODE_DIGITS decimal digits, leading zeros kept ("004219"). */
export const CODE_PATTERN = new RegExp(`^\\d{${CODE_DIGITS}}$`);

/**
 * The code an emailed link carries in its #fragment (`…#code=123456`): the fragment never reaches
 * the server, so the code stays out of its logs; the page reads it and submits it.
 */
export function codeFromLinkFragment(hash: string): string | null {
  return new RegExp(`(?:^|&)code=(\\d{${CODE_DIGITS}})(?:&|$)`).exec(hash.replace(/^#/, ""))?.[1] ?? null;
}
