"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { confirmPhoneCodeAction, resendPhoneCodeAction, sendPhoneCodeAction } from "@/features/accounts/contact-change/phone-actions";
import { showActionError } from "@/ui/forms/action-errors";
import { CodeField, SelectField } from "@/ui/field";
import { ResendButton } from "@/ui/forms/resend-button";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import {
  type CountryOption,
  type PhoneCodeInput,
  type PhoneNumberInput,
  phoneCodeSchema,
  phoneNumberSchema,
} from "@/features/accounts/contact-change/phone-schemas";

/** Enter a mobile number (with its country), then the code texted to it. */
export function PhoneForm({ countries, defaultCountry, needsPassword }: { countries: CountryOption[]; defaultCountry: string; needsPassword: boolean }) {
  const router = useRouter();
  const [sent, setSent] = useState<{ maskedTarget: string; resendAvailableAt: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const numberForm = useForm<PhoneNumberInput>({
    resolver: zodResolver(phoneNumberSchema),
    defaultValues: { country: defaultCountry, number: "", password: "" },
  });
  const codeForm = useForm<PhoneCodeInput>({ resolver: zodResolver(phoneCodeSchema), defaultValues: { code: "" } });

  async function sendNumber(values: PhoneNumberInput) {
    setFormError(null);
    const result = await sendPhoneCodeAction(values);
    if (result.ok) {
      setSent(result.data);
      codeForm.reset({ code: "" });
      return;
    }
    setFormError(showActionError(result, numberForm.setError, ["number", "country", "password"]));
  }

  async function confirm(values: PhoneCodeInput) {
    setFormError(null);
    const result = await confirmPhoneCodeAction(values);
    if (result.ok) {
      setSent(null);
      setDone(
        result.data.changed
          ? "Your new mobile number is verified. We told your previous number and your email address about the change."
          : "Your mobile number is verified.",
      );
      numberForm.reset({ country: numberForm.getValues("country"), number: "", password: "" });
      router.refresh();
      return;
    }
    setFormError(showActionError(result, codeForm.setError, ["code"]));
  }

  if (sent) {
    return (
      <div className="flex flex-col gap-4">
        <p role="status" className="text-sm text-slate-700">
          We texted a code to <strong>{sent.maskedTarget}</strong>. It works for 10 minutes.
        </p>
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <form onSubmit={codeForm.handleSubmit(confirm)} noValidate className="flex flex-col gap-4">
          <CodeField label="Code from the text message" autoFocus error={codeForm.formState.errors.code?.message} {...codeForm.register("code")} />
          <div>
            <Button type="submit" disabled={codeForm.formState.isSubmitting}>
              {codeForm.formState.isSubmitting ? "Checking…" : "Verify code"}
            </Button>
          </div>
        </form>
        <ResendButton
          availableAt={sent.resendAvailableAt}
          onResend={async () => {
            const result = await resendPhoneCodeAction({});
            if (!result.ok) return result.error;
            setSent(result.data);
            return null;
          }}
        />
        <div>
          <Button
            variant="ghost"
            onClick={() => {
              setSent(null);
              setFormError(null);
            }}
          >
            Use a different number
          </Button>
        </div>
      </div>
    );
  }

  const { errors, isSubmitting } = numberForm.formState;
  return (
    <form onSubmit={numberForm.handleSubmit(sendNumber)} noValidate className="flex max-w-md flex-col gap-4">
      {done ? <Alert tone="success">{done}</Alert> : null}
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <SelectField label="Country" autoComplete="tel-country-code" error={errors.country?.message} {...numberForm.register("country")}>
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
        {...numberForm.register("number")}
      />
      {needsPassword ? (
        <TextField
          label="Your password"
          type="password"
          autoComplete="current-password"
          hint="Needed to replace your verified number."
          error={errors.password?.message}
          {...numberForm.register("password")}
        />
      ) : null}
      <div>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Sending…" : "Text me a code"}
        </Button>
      </div>
    </form>
  );
}
