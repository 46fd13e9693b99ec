"use client";

import { useRouter } from "next/navigation";
import { changePostalAddressAction } from "@/features/accounts/postal-address/actions";
import { postalAddressSchema } from "@/features/accounts/postal-address/schemas";
import { Alert } from "@/ui/alert";
import { TextAreaField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** The account's postal / shipping address; with a verified mobile, a change waits for the owner's answer by text. */
export function PostalAddressForm({ address, textConfirmed }: { address: string; textConfirmed: boolean }) {
  const router = useRouter();
  const form = useActionForm(postalAddressSchema, changePostalAddressAction, {
    defaultValues: { address, password: "" },
    fields: ["address", "password"],
    onSuccess: (data) => {
      form.setValue("password", "");
      router.refresh();
      return data.message;
    },
  });
  return (
    <form onSubmit={form.submit} noValidate aria-label="Postal address" className="flex max-w-md flex-col gap-4">
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextAreaField
        label="Postal / shipping address"
        hint={
          textConfirmed
            ? "One line per line of the label. A change is made once you approve it by replying to the text we send to your verified mobile."
            : "One line per line of the label. We email you a notice when it changes."
        }
        rows={4}
        autoComplete="street-address"
        error={form.errors.address?.message}
        {...form.register("address")}
      />
      <TextField label="Your password" type="password" autoComplete="current-password" error={form.errors.password?.message} {...form.register("password")} />
      <div>
        <SubmitButton pending={form.pending} busy="Saving…">
          Save address
        </SubmitButton>
      </div>
    </form>
  );
}
