import "server-only";
import { headers } from "next/headers";
import { ContactEditor } from "@/features/customers/contacts/components/contact-editor";
import { loadContactDetails } from "@/features/customers/contacts/contacts";
import { countryOptions, defaultCountryFrom } from "@/features/accounts/registration/schemas";

/**
 * The "Contact details" section of a customer's page: loads the record and renders the editor.
 * A number typed in national form is read in the chosen country, preselected from the agent's
 * browser languages (Veridesk has no configured default country).
 */
export async function ContactDetailsEditor({ customerId }: { customerId: string }) {
  const details = await loadContactDetails(customerId);
  if (!details) return null;
  const defaultCountry = defaultCountryFrom((await headers()).get("accept-language"));
  return (
    <section aria-labelledby="contact-details-heading" className="mb-8 flex flex-col gap-3">
      <div>
        <h2 id="contact-details-heading" className="text-lg font-semibold text-slate-900">
          Contact details
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          An address or number another customer holds is refused, never moved. A verified one cannot be edited: remove it and add the new one.
        </p>
      </div>
      <ContactEditor details={details} countries={countryOptions()} defaultCountry={defaultCountry} />
    </section>
  );
}
