import Link from "next/link";
import type { ComponentProps } from "react";

/** `.btn` and `.btn-<variant>` are in app/globals.css: short names for the app's most repeated class list. */
export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export function buttonClasses(variant: ButtonVariant = "primary", extra = "") {
  return `btn btn-${variant} ${extra}`.trim();
}

export function Button({ variant = "primary", className = "", ...props }: ComponentProps<"button"> & { variant?: ButtonVariant }) {
  return <button type="button" className={buttonClasses(variant, className)} {...props} />;
}

export function ButtonLink({ variant = "primary", className = "", ...props }: ComponentProps<typeof Link> & { variant?: ButtonVariant }) {
  return <Link className={buttonClasses(variant, className)} {...props} />;
}
