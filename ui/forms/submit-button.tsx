import type { ComponentProps } from "react";
import { Button } from "@/ui/button";

/** A form's submit button: disabled and showing `busy` (“Saving…”) while `pending`. */
export function SubmitButton({ pending, busy, children, disabled, ...props }: ComponentProps<typeof Button> & { pending: boolean; busy: string }) {
  return (
    <Button type="submit" disabled={pending || disabled} {...props}>
      {pending ? busy : children}
    </Button>
  );
}
