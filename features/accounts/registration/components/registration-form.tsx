"use client";

import { useEffect, useRef, useState } from "react";
import { register as registerAction } from "@/features/accounts/registration/actions";
import { Alert } from "@/ui/alert";
import { SelectField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { suggestEmail } from "@/platform/email-address/typo-suggestions";
import { PASSWORD_MIN_LENGTH } from "@/features/accounts/password/password-policy";
import { type CountryOption, registrationSchema } from "@/features/accounts/registration/schemas";

export function RegistrationForm({ countries, defaultCountry }: { countries: CountryOption[]; defaultCountry: string }) {
  const [emailChecked, setEmailChecked] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const formErrorRef = useRef<HTMLDivElement>(null);
  // The server parses the same schema again from what was typed (not from the browser's output).
  // On success the action redirects to the verification page.
  const form = useActionForm(registrationSchema, (): ReturnType<typeof registerAction> => registerAction(form.getValues()), {
    defaultValues: { name: "", email: "", password: "", phoneCountry: defaultCountry, phone: "", accountHint: "" },
    fields: ["name", "email", "password", "phoneCountry", "phone", "accountHint"],
    leaves: true,
  });
  const { register, setValue, setFocus, errors, formError } = form;
  useEffect(() => {
    if (formError) formErrorRef.current?.focus();
  }, [formError]);

  const email = form.watch("email") ?? "";
  const suggestion = emailChecked ? suggestEmail(email) : null;

  function applySuggestion(address: string) {
    setValue("email", address, { shouldValidate: true, shouldDirty: true });
    setFocus("email");
  }

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-5" aria-describedby={formError ? "registration-error" : undefined}>
      {formError ? (
        <div id="registration-error" ref={formErrorRef} tabIndex={-1}>
          <Alert tone="error">{formError}</Alert>
        </div>
      ) : null}

      <TextField label="Full name" autoComplete="name" maxLength={200} error={errors.name?.message} {...register("name")} />

      <div className="flex flex-col gap-2">
        <TextField
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          hint="We send a 6-digit code here to check that it is yours."
          error={errors.email?.message}
          {...register("email", { onBlur: () => setEmailChecked(true) })}
        />
        <div role="status" aria-live="polite">
          {suggestion ? (
            <p className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-300">
              <span>
                Did you mean <strong className="break-all">{suggestion}</strong>?
              </span>
              <button
                type="button"
                onClick={() => applySuggestion(suggestion)}
                className="rounded font-semibold text-brand-700 underline underline-offset-2 hover:text-brand-800"
              >
                Yes, use {suggestion}
              </button>
            </p>
          ) : null}
        </div>
      </div>

      <div className="flex flex-col gap-2">
        <TextField
          label="Password"
          type={showPassword ? "text" : "password"}
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words are easy to remember and hard to guess.`}
          error={errors.password?.message}
          {...register("password")}
        />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={showPassword}
            onChange={(event) => setShowPassword(event.target.checked)}
            className="h-4 w-4 rounded border-slate-300"
          />
          Show password
        </label>
      </div>

      <fieldset className="flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold text-slate-800">Mobile number (optional)</legend>
        <p className="text-xs text-slate-600">
          We keep it on your account unverified. You can verify it by text message later, under{" "}
          <a href="/account/phone" className="font-medium text-brand-700 underline underline-offset-2">
            Account › Mobile number
          </a>
          .
        </p>
        <div className="grid gap-3 sm:grid-cols-[minmax(0,14rem)_1fr]">
          <SelectField label="Country or region" autoComplete="country" error={errors.phoneCountry?.message} {...register("phoneCountry")}>
            {countries.map((country) => (
              <option key={country.code} value={country.code}>
                {country.name} (+{country.callingCode})
              </option>
            ))}
          </SelectField>
          <TextField
            label="Mobile number"
            type="tel"
            inputMode="tel"
            autoComplete="tel-national"
            maxLength={40}
            error={errors.phone?.message}
            {...register("phone")}
          />
        </div>
      </fieldset>

      <TextField
        label="Account number or company (optional)"
        hint="Helps our team find your customer record. It is only a hint: your verified email address is what links your account."
        maxLength={200}
        error={errors.accountHint?.message}
        {...register("accountHint")}
      />

      <SubmitButton pending={form.pending} busy="Creating your account…">
        Create account
      </SubmitButton>
    </form>
  );
}
