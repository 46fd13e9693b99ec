"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRef, useState } from "react";
import { type FieldPath, useForm } from "react-hook-form";
import { register as registerAction } from "@/features/accounts/registration/actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { SelectField } from "@/ui/field";
import { suggestEmail } from "@/platform/email-address/typo-suggestions";
import { PASSWORD_MIN_LENGTH } from "@/features/accounts/password/password-policy";
import { type CountryOption, type RegistrationFormInput, type RegistrationInput, registrationSchema } from "@/features/accounts/registration/schemas";

const FIELDS: readonly FieldPath<RegistrationFormInput>[] = ["name", "email", "password", "phoneCountry", "phone", "accountHint"];

export function RegistrationForm({ countries, defaultCountry }: { countries: CountryOption[]; defaultCountry: string }) {
  const [formError, setFormError] = useState<string | null>(null);
  const [emailChecked, setEmailChecked] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const formErrorRef = useRef<HTMLDivElement>(null);
  const {
    register,
    handleSubmit,
    getValues,
    setValue,
    setError,
    setFocus,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<RegistrationFormInput, unknown, RegistrationInput>({
    resolver: zodResolver(registrationSchema),
    defaultValues: { name: "", email: "", password: "", phoneCountry: defaultCountry, phone: "", accountHint: "" },
  });

  const email = watch("email") ?? "";
  const suggestion = emailChecked ? suggestEmail(email) : null;

  async function onSubmit() {
    setFormError(null);
    // The server parses the same schema again from what was typed (not from the browser's output).
    const result = await registerAction(getValues());
    // On success the action redirects to the verification page.
    if (!result || result.ok) {
      setLeaving(true);
      return;
    }
    const fieldErrors = result.fieldErrors ?? {};
    const withErrors = FIELDS.filter((field) => fieldErrors[field]?.[0]);
    withErrors.forEach((field, index) => setError(field, { type: "server", message: fieldErrors[field]![0] }, { shouldFocus: index === 0 }));
    if (withErrors.length === 0) {
      setFormError(result.error);
      requestAnimationFrame(() => formErrorRef.current?.focus());
    }
  }

  function applySuggestion(address: string) {
    setValue("email", address, { shouldValidate: true, shouldDirty: true });
    setFocus("email");
  }

  const busy = isSubmitting || leaving;
  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-5" aria-describedby={formError ? "registration-error" : undefined}>
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

      <Button type="submit" disabled={busy}>
        {busy ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
