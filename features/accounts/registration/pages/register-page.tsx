import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { RegistrationForm } from "@/features/accounts/registration/components/registration-form";
import { currentActor } from "@/platform/auth/guard";
import { homePathFor } from "@/platform/auth/policy";
import { countryOptions, defaultCountryFrom } from "@/features/accounts/registration/schemas";

export const metadata: Metadata = { title: "Create an account" };

// Public page: people without an account create one here (customers only; staff accounts are made by admins).
export default async function RegisterPage() {
  const actor = await currentActor();
  if (actor) redirect(homePathFor(actor.role));
  const defaultCountry = defaultCountryFrom((await headers()).get("accept-language"));
  return (
    <div className="mx-auto max-w-lg">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Create your customer account</h1>
        <p className="mb-6 text-sm text-slate-600">
          We&apos;ll send a code to your email address to check that it&apos;s yours. Once it is verified, we link your account to your company&apos;s customer
          record so our team knows who you are.
        </p>
        <RegistrationForm countries={countryOptions()} defaultCountry={defaultCountry} />
        <p className="mt-6 text-sm text-slate-600">
          Already have an account?{" "}
          <Link href="/signin" className="font-semibold text-brand-700 underline-offset-2 hover:underline">
            Sign in
          </Link>
        </p>
      </div>
    </div>
  );
}
