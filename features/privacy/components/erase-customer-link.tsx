import { ButtonLink } from "@/ui/button";

/** On the customer page, for supervisors and administrators: leads to the erasure confirmation. */
export function EraseCustomerLink({ customerId, customerName, show }: { customerId: string; customerName: string; show: boolean }) {
  if (!show) return null;
  return (
    <section aria-labelledby="erase-heading" className="mt-8 flex flex-col items-start gap-2 border-t border-slate-200 pt-6">
      <h2 id="erase-heading" className="text-lg font-semibold text-slate-900">
        Erase this customer
      </h2>
      <p className="text-sm text-slate-600">When the customer asks to be forgotten (GDPR Art. 17). You confirm on the next page; it cannot be undone.</p>
      <ButtonLink href={`/supervisor/customers/${customerId}/erase`} variant="secondary" aria-label={`Erase customer ${customerName}…`}>
        Erase customer…
      </ButtonLink>
    </section>
  );
}
