"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { confirmPhoneCodeAction, resendPhoneCodeAction, sendPhoneCodeAction } from "@/features/accounts/contact-change/phone-actions";
import { type CountryOption, phoneCodeSchema, phoneNumberSchema } from "@/features/accounts/contact-change/phone-schemas";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { SelectField, TextField } from "@/ui/field";
import { CodeStep } from "@/ui/forms/code-step";
import { resendOutcomeOf } from "@/ui/forms/resend-control";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** Enter a mobile number (with its country), then the code texted to it. */
export function PhoneForm({ countries, defaultCountry, needsPassword }: { countries: CountryOption[]; defaultCountry: string; needsPassword: boolean }) {
  const router = useRouter();
  const [sent, setSent] = useState<{ maskedTarget: string; resendAvailableAt: string } | null>(null);
  const form = useActionForm(phoneNumberSchema, sendPhoneCodeAction, {
    defaultValues: { country: defaultCountry, number: "", password: "" },
    fields: ["number", "country", "password"],
    onSuccess: (data) => {
      setSent(data);
      codeForm.reset({ code: "" });
      codeForm.setFormError(null);
    },
  });
  const codeForm = useActionForm(phoneCodeSchema, confirmPhoneCodeAction, {
    defaultValues: { code: "" },
    fields: ["code"],
    onSuccess: (data) => {
      setSent(null);
      form.setNotice(
        data.pendingMessage ??
          (data.changed
            ? "Your new mobile number is verified. We told your previous number and your email address about the change."
            : "Your mobile number is verified."),
      );
      form.reset({ country: form.getValues("country"), number: "", password: "" });
      router.refresh();
    },
  });

  if (sent) {
    return (
      <div className="flex flex-col gap-4">
        <CodeStep
          form={codeForm}
          label="Code from the text message"
          submit="Verify code"
          sentTo={
            <>
              We texted a code to <strong>{sent.maskedTarget}</strong>. It works for 10 minutes.
            </>
          }
          resend={{
            availableAt: sent.resendAvailableAt,
            onResend: () => resendOutcomeOf(resendPhoneCodeAction({}), setSent),
          }}
        />
        <div>
          <Button variant="ghost" onClick={() => setSent(null)}>
            Use a different number
          </Button>
        </div>
      </div>
    );
  }

  const { errors } = form;
  return (
    <form onSubmit={form.submit} noValidate className="flex max-w-md flex-col gap-4">
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <SelectField label="Country" autoComplete="tel-country-code" error={errors.country?.message} {...form.register("country")}>
        {countries.map((country) => (
          <option key={country.code} value={country.code}>
            {country.label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Mobile number"
        type="tel"
        inputMode="tel"
        autoComplete="tel-national"
        hint="As you would dial it in that country, or with + and the country code. Landlines cannot receive our text messages."
        error={errors.number?.message}
        {...form.register("number")}
      />
      {needsPassword ? (
        <TextField
          label="Your password"
          type="password"
          autoComplete="current-password"
          hint="Needed to replace your verified number."
          error={errors.password?.message}
          {...form.register("password")}
        />
      ) : null}
      <div>
        <SubmitButton pending={form.pending} busy="Sending…">
          Text me a code
        </SubmitButton>
      </div>
    </form>
  );
}
